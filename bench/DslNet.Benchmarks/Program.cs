using DslNet.Benchmarks;
using DslNet.IO;
using DslNet.Training;
using TorchSharp;

var (options, exitCode) = BenchOptions.Parse(args, Console.Out, Console.Error);
if (options is null)
{
    return exitCode;
}

var log = Console.Error;
var defaultThreads = torch.get_num_threads();
log.WriteLine($"DslNet benchmark: {options.Samples:N0} random CIFAR-shaped samples, {options.Repeats} timed epoch(s) per contender and batch size; TorchSharp default threads {defaultThreads}.");
var report = new Report(options, Machine.Describe(defaultThreads), Machine.LoadAverage());
if (options.CnnOnly || options.ResNetOnly)
{
    var images = RandomCifar.Create(options.CnnSamples, seed: 1);
    foreach (var network in options.ResNetOnly ? new[] { CnnNetwork.Residual } : new[] { CnnNetwork.Convolutional, CnnNetwork.Residual })
    {
        report.Add(CnnRace.Measure(network, images, CnnRace.DefaultBatchSize, options.Repeats, log));
    }

    Console.WriteLine(report.CnnMarkdown());
    return 0;
}

var data = RandomCifar.Create(options.Samples, seed: 1);
if (options.ThreadSweep)
{
    Console.WriteLine(ThreadSweep.Run(data, options.Repeats));
    return 0;
}

foreach (var batchSize in new[] { 32, 128, 512 })
{
    report.Add(EpochTimes.Measure(data, batchSize, options.Repeats, defaultThreads, handWritten: batchSize != 512, log));
}

var cnnData = RandomCifar.Create(options.CnnSamples, seed: 1);
report.Add(CnnRace.Measure(CnnNetwork.Convolutional, cnnData, CnnRace.DefaultBatchSize, options.Repeats, log));
report.Add(CnnRace.Measure(CnnNetwork.Residual, cnnData, CnnRace.DefaultBatchSize, options.Repeats, log));

foreach (var batchSize in new[] { 32, 128 })
{
    var measured = ComputeLimit.Measure(batchSize, Environment.ProcessorCount);
    log.WriteLine($"  batch {batchSize}: " + string.Join("; ", measured.Select(m => $"{m.Product.Name} {m.One:0.0}/{m.Split:0.0}/{m.Concurrent:0.0} GFLOP/s")));
    report.Add(batchSize, measured);
    foreach (var threads in new[] { 1, TrainingThreads.Available }.Distinct())
    {
        report.Add(batchSize, threads, StepProfile.Measure(data, batchSize, threads, options.ProfileSteps));
    }
}

log.WriteLine($"  memory: {options.MemoryEpochs} epochs of Fit at batch 32 …");
report.Add(MemoryGrowth.Measure(data, options.MemoryEpochs));
report.Finish(Machine.LoadAverage());

var markdown = report.ToMarkdown();
Console.WriteLine(markdown);
if (options.Output is { } path)
{
    AtomicFile.WriteAllText(path, Report.Merge(File.Exists(path) ? File.ReadAllText(path) : null, markdown));
    log.WriteLine($"Updated {path}.");
}

return 0;

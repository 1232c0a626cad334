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
if (options.Subnormals)
{
    const int threads = 1;
    var loadAtStart = Machine.LoadAverage();
    (SubnormalRun, SubnormalRun) runs;
    try
    {
        runs = SubnormalRuns.Measure(options.DataDirectory, threads, log);
    }
    catch (Exception error) when (error is IOException or InvalidDataException)
    {
        // CIFAR-10 not found (the message says where it looked) or a corrupt batch file (the message names it).
        Console.Error.WriteLine($"--subnormals needs the real CIFAR-10: {error.Message}");
        return 1;
    }

    var section = SubnormalRuns.Markdown(runs, threads, Machine.Describe(defaultThreads), loadAtStart, Machine.LoadAverage());
    Console.WriteLine(section);
    if (options.Output is { } file)
    {
        AtomicFile.WriteAllText(file, Report.Merge(File.Exists(file) ? File.ReadAllText(file) : null, section, SubnormalRuns.Begin, SubnormalRuns.End));
        log.WriteLine($"Updated {file}.");
    }

    return 0;
}

if (options.CnnOnly || options.ResNetOnly || options.FastNetOnly)
{
    var images = RandomCifar.Create(options.CnnSamples, seed: 1);
    var networks = CnnNetwork.All.Where(n => options.CnnOnly || (options.ResNetOnly && n == CnnNetwork.Residual) || (options.FastNetOnly && n == CnnNetwork.Fast));
    foreach (var network in networks)
    {
        RaceAndProfile(network, images);
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
foreach (var network in CnnNetwork.All)
{
    RaceAndProfile(network, cnnData);
}

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

// A convolutional network's race, then its step profile at each of the race's thread counts.
void RaceAndProfile(CnnNetwork network, DslNet.Dataset images)
{
    var race = CnnRace.Measure(network, images, options.Repeats, log);
    report.Add(race);
    foreach (var (threads, _, _) in race.AtThreads)
    {
        var profile = StepProfile.Measure(network, images, threads);
        log.WriteLine($"  {network.Log} profile, {threads} thread(s), ms per step: " +
                      string.Join(", ", StepProfile.Phases.Select((phase, i) => $"{phase} {profile.Generated[i]:0.0}/{profile.HandWritten[i]:0.0}")) +
                      $"; epoch per step {profile.FitStep:0.0}/{profile.HandWrittenStep:0.0} (generated/hand-written)");
        report.Add(profile);
    }
}

using DslNet.Benchmarks;
using DslNet.IO;
using TorchSharp;

if (args is ["--cnn", ..])
{
    return CnnBenchmark.Run(args[1..]);
}

var (options, error) = BenchOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine($"error: {error}");
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

var log = Console.Error;
var defaultThreads = torch.get_num_threads();
log.WriteLine($"DslNet benchmark: {options.Samples:N0} random CIFAR-shaped samples, {options.Repeats} timed epoch(s) per loop and batch size; TorchSharp default threads {defaultThreads}.");
var data = RandomCifar.Create(options.Samples, seed: 1);
if (options.ThreadSweep)
{
    Console.WriteLine(ThreadSweep.Run(data, options.ProfileSteps));
    return 0;
}

var report = new Report(options, Machine.Describe(defaultThreads));

foreach (var batchSize in new[] { 32, 128 })
{
    var times = EpochTimes.Measure(data, batchSize, options.Repeats, log);
    var threadCounts = new[] { 1, Environment.ProcessorCount, times.GeneratedThreads, defaultThreads }.Distinct().Order().ToArray();
    var throughput = threadCounts.ToDictionary(t => t, t => ComputeLimit.MatmulGflops(batchSize, t));
    var profiles = threadCounts.ToDictionary(t => t, t => StepProfile.Measure(data, batchSize, t, options.ProfileSteps));
    log.WriteLine($"  batch {batchSize}: matmul {string.Join(", ", throughput.Select(p => $"{p.Value:0.0} GFLOP/s at {p.Key} thread(s)"))}");
    report.Add(times, throughput, profiles);
}

log.WriteLine($"  memory: {options.MemoryEpochs} epochs of Fit at batch 32 …");
var memory = MemoryGrowth.Measure(data, options.MemoryEpochs);
report.Add(memory);

var markdown = report.ToMarkdown();
Console.WriteLine(markdown);
if (options.Output is { } path)
{
    AtomicFile.WriteAllText(path, Report.Merge(File.Exists(path) ? File.ReadAllText(path) : null, markdown));
    log.WriteLine($"Updated {path}.");
}

return 0;

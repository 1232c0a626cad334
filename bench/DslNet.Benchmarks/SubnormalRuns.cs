using System.Diagnostics;
using System.Globalization;
using System.Text;
using DslNet.Data;
using PartB = DslNet.Samples.Cifar10.SwishNet;

namespace DslNet.Benchmarks;

/// <summary>One whole run of part b: whether subnormals were flushed, its epochs, mean seconds per epoch and the kept model.</summary>
internal sealed record SubnormalRun(bool Flushed, int Epochs, double MeanEpochSeconds, double[] EpochSeconds, int KeptEpoch, double ValAccuracy, double TotalSeconds);

/// <summary>
/// Issue 23's subnormal measurement (<c>--subnormals</c>): part b's whole run (the sample's own <c>SwishNet</c>, on the book's split of the real CIFAR-10, early
/// stopping as declared) with subnormal floats flushed to zero, then without, one after the other at the same fixed thread
/// count, in one process. The target: the mean epoch time with flushing ≤ 0.75 × without. The two runs train differently
/// (a flushed gradient is a zero), so they stop at different epochs; the mean epoch time is what compares.
/// </summary>
internal static class SubnormalRuns
{
    public const string Begin = "<!-- subnormals:begin (written by bench/DslNet.Benchmarks -- --subnormals; rerun it rather than editing) -->";
    public const string End = "<!-- subnormals:end -->";
    public const double Target = 0.75;

    public static (SubnormalRun Flushed, SubnormalRun Kept) Measure(string? dataDir, int threads, TextWriter log)
    {
        var (train, valid, _) = Cifar10.Load(dataDir);
        SubnormalRun Run(bool flush)
        {
            log.WriteLine($"  part b, {(flush ? "flushing subnormals" : "keeping subnormals")}, {threads} thread(s) …");
            using var model = new PartB();
            var clock = Stopwatch.StartNew();
            var history = model.Fit(train, valid, new FitOptions { Threads = threads, FlushSubnormals = flush, Progress = false });
            var seconds = history.Rows.Select(r => r.Seconds).ToArray();
            var kept = history.Rows.First(r => r.Epoch == history.KeptEpoch);
            var run = new SubnormalRun(flush, seconds.Length, seconds.Average(), seconds, history.KeptEpoch, kept.ValAccuracy, clock.Elapsed.TotalSeconds);
            log.WriteLine($"    {run.Epochs} epochs, {run.MeanEpochSeconds:0.00} s per epoch, kept epoch {run.KeptEpoch} ({run.ValAccuracy:P1})");
            return run;
        }

        return (Run(flush: true), Run(flush: false));
    }

    public static string Markdown((SubnormalRun Flushed, SubnormalRun Kept) runs, int threads, IReadOnlyList<(string Name, string Value)> machine, string loadAtStart, string loadAtEnd)
    {
        var (flushed, kept) = runs;
        var ratio = flushed.MeanEpochSeconds / kept.MeanEpochSeconds;
        var text = new StringBuilder();
        text.AppendLine(Begin);
        text.AppendLine($"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC with `dotnet run -c Release --project bench/DslNet.Benchmarks -- --subnormals` " +
                        $"on {machine[0].Value}; load average {loadAtStart} at the start, {loadAtEnd} at the end. Part b's whole run (the sample's `SwishNet`, " +
                        $"samples/Cifar10/Models.cs: 20 × 100 He/Swish, Nadam 5e-5, early stopping with patience 20) on the book's split of the real CIFAR-10, at {threads} thread(s), " +
                        "flushing first, then keeping subnormals, in one process.");
        text.AppendLine();
        text.AppendLine("| run | epochs | mean s per epoch | first 5 / last 5 epochs (s) | kept epoch | val accuracy | whole run |");
        text.AppendLine("| --- | ---: | ---: | --- | ---: | ---: | ---: |");
        foreach (var run in new[] { flushed, kept })
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {(run.Flushed ? "subnormals flushed (the default)" : "subnormals kept (`FlushSubnormals = false`)")} | {run.Epochs} | " +
                            $"{run.MeanEpochSeconds:0.00} | {run.EpochSeconds.Take(5).Average():0.00} / {run.EpochSeconds.TakeLast(5).Average():0.00} | {run.KeptEpoch} | {run.ValAccuracy:P1} | {run.TotalSeconds:0} s |");
        }

        text.AppendLine();
        text.AppendLine("| target | measured | met |");
        text.AppendLine("| --- | --- | :---: |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| part b's mean epoch time, flushed / kept, same thread count ≤ {Target} | {flushed.MeanEpochSeconds:0.00} s vs {kept.MeanEpochSeconds:0.00} s: **{ratio:0.00}** | {(ratio <= Target ? "yes" : "**no**")} |");
        text.AppendLine(End);
        return text.ToString();
    }
}

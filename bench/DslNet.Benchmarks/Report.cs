using System.Globalization;
using System.Text;

namespace DslNet.Benchmarks;

/// <summary>The measured figures as markdown, and their place in BENCHMARKS.md (between two markers; the prose around them is kept).</summary>
internal sealed class Report(BenchOptions options, IReadOnlyList<(string Name, string Value)> machine)
{
    public const string Begin = "<!-- measured:begin (written by bench/DslNet.Benchmarks; rerun it rather than editing) -->";
    public const string End = "<!-- measured:end -->";

    /// <summary>Targets of issue 6 on the 2-core reference machine.</summary>
    private const double RatioTarget32 = 0.5;
    private const double RatioTarget128 = 1.0;
    private const double LimitTarget32 = 2.5;
    private const double LimitTarget128 = 1.5;
    private const double GrowthTargetMb = 50;

    private readonly List<(EpochTimes Times, Dictionary<int, double> Gflops, Dictionary<int, double[]> Profiles)> batches = [];
    private MemoryGrowth? memory;

    public void Add(EpochTimes times, Dictionary<int, double> gflops, Dictionary<int, double[]> profiles) => batches.Add((times, gflops, profiles));

    public void Add(MemoryGrowth growth) => memory = growth;

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine(Begin);
        text.AppendLine($"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC with `dotnet run -c Release --project bench/DslNet.Benchmarks{Arguments()}`.");
        text.AppendLine();
        text.AppendLine("| machine | |");
        text.AppendLine("| --- | --- |");
        foreach (var (name, value) in machine)
        {
            text.AppendLine($"| {name} | {value} |");
        }

        text.AppendLine();
        text.AppendLine($"### Epoch time ({options.Samples:N0} samples, median of {options.Repeats} interleaved epochs after a warm-up epoch each)");
        text.AppendLine();
        text.AppendLine("| batch | generated `Fit` | threads | hand-written TorchSharp | threads | ratio (generated / hand-written) | target | met |");
        text.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: |");
        foreach (var (times, _, _) in batches)
        {
            var target = times.BatchSize == 32 ? RatioTarget32 : RatioTarget128;
            text.AppendLine($"| {times.BatchSize} | {Seconds(times.GeneratedMedian)} ({Spread(times.Generated)}) | {times.GeneratedThreads} | {Seconds(times.HandWrittenMedian)} ({Spread(times.HandWritten)}) | {times.HandWrittenThreads} | **{times.Ratio:0.00}** | ≤ {target:0.0#} | {Met(times.Ratio <= target)} |");
        }

        text.AppendLine();
        var forward = ComputeLimit.ForwardFlopsPerSample;
        text.AppendLine("### Compute-bound limit");
        text.AppendLine();
        text.AppendLine($"FLOPs per sample: forward Σ 2·K·N over the 21 Linear layers = {forward / 1e6:0.000} MFLOP; forward + backward (≈ 3× forward) = {3 * forward / 1e6:0.000} MFLOP; " +
                        $"per epoch of {options.Samples:N0} samples = {ComputeLimit.EpochFlops(options.Samples) / 1e9:0.0} GFLOP. " +
                        "Throughput: `torch.mm` of [batch, 3072] × [3072, 100] (the first layer's shape), best of five rounds, at the thread count shown.");
        text.AppendLine();
        text.AppendLine("| batch | threads | matmul GFLOP/s | limit per epoch | generated `Fit` / limit | target | met | hand-written / limit at its threads |");
        text.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: | :---: | ---: |");
        foreach (var (times, gflops, _) in batches)
        {
            var limit = ComputeLimit.EpochFlops(options.Samples) / (gflops[times.GeneratedThreads] * 1e9);
            var handLimit = ComputeLimit.EpochFlops(options.Samples) / (gflops[times.HandWrittenThreads] * 1e9);
            var target = times.BatchSize == 32 ? LimitTarget32 : LimitTarget128;
            var ratio = times.GeneratedMedian / limit;
            var others = string.Join("; ", gflops.Where(g => g.Key != times.GeneratedThreads).Select(g => $"{g.Value:0.0} at {g.Key}"));
            text.AppendLine($"| {times.BatchSize} | {times.GeneratedThreads} | {gflops[times.GeneratedThreads]:0.0}{(others.Length > 0 ? $" ({others})" : "")} | {Seconds(limit)} | **{ratio:0.00}×** | ≤ {target:0.0}× | {Met(ratio <= target)} | {times.HandWrittenMedian / handLimit:0.00}× |");
        }

        text.AppendLine();
        text.AppendLine($"### Where a step's time goes (ms per step, mean of {options.ProfileSteps} steps of the generated model's own step members)");
        text.AppendLine();
        var columns = batches.SelectMany(b => b.Profiles.Select(p => (b.Times.BatchSize, Threads: p.Key, Times: p.Value))).ToArray();
        text.AppendLine("| phase | " + string.Join(" | ", columns.Select(c => $"batch {c.BatchSize}, {c.Threads} thread(s)")) + " |");
        text.AppendLine("| --- |" + string.Concat(columns.Select(_ => " ---: |")));
        for (var phase = 0; phase < StepProfile.Phases.Length; phase++)
        {
            text.AppendLine($"| {StepProfile.Phases[phase]} | " + string.Join(" | ", columns.Select(c => Ms(c.Times[phase], c.Times.Sum()))) + " |");
        }

        text.AppendLine("| **total** | " + string.Join(" | ", columns.Select(c => $"**{c.Times.Sum():0.000}**")) + " |");
        text.AppendLine();
        if (memory is { } m)
        {
            text.AppendLine($"### Memory (one `Fit` of {m.AfterEpoch.Length} epochs at batch 32 on {m.Samples:N0} samples; the data set itself is {m.Samples * 3072 * 4 / 1048576.0:N0} MB)");
            text.AppendLine();
            text.AppendLine("| peak working set | after epoch 1 | " + string.Join(" | ", Enumerable.Range(2, m.AfterEpoch.Length - 1).Select(e => $"after epoch {e}")) + $" | growth 1 → {m.AfterEpoch.Length} | target | met |");
            text.AppendLine("| ---: |" + string.Concat(Enumerable.Repeat(" ---: |", m.AfterEpoch.Length + 2)) + " :---: |");
            text.AppendLine($"| {m.PeakMb:N0} MB | " + string.Join(" | ", m.AfterEpoch.Select(w => $"{w:N0} MB")) + $" | **{m.GrowthMb:+0.0;-0.0} MB** | < {GrowthTargetMb} MB | {Met(m.GrowthMb < GrowthTargetMb)} |");
            text.AppendLine();
        }

        text.AppendLine(End);
        return text.ToString();
    }

    /// <summary>The existing report with its measured section replaced (or appended when it has none).</summary>
    public static string Merge(string? existing, string measured)
    {
        if (existing is null)
        {
            return "# Benchmarks\n\n" + measured;
        }

        var begin = existing.IndexOf(Begin, StringComparison.Ordinal);
        var end = existing.IndexOf(End, StringComparison.Ordinal);
        if (begin < 0 || end < begin)
        {
            return existing.TrimEnd() + "\n\n" + measured;
        }

        var after = existing[(end + End.Length)..].TrimStart('\r', '\n');
        return existing[..begin] + measured + (after.Length > 0 ? "\n" + after : "");
    }

    private string Arguments()
    {
        var defaults = new BenchOptions();
        var parts = new List<string>();
        if (options.Samples != defaults.Samples) parts.Add($"--samples {options.Samples}");
        if (options.Repeats != defaults.Repeats) parts.Add($"--repeats {options.Repeats}");
        if (options.MemoryEpochs != defaults.MemoryEpochs) parts.Add($"--memory-epochs {options.MemoryEpochs}");
        if (options.ProfileSteps != defaults.ProfileSteps) parts.Add($"--profile-steps {options.ProfileSteps}");
        return parts.Count == 0 ? "" : " -- " + string.Join(' ', parts);
    }

    private static string Seconds(double seconds) => seconds.ToString("0.00", CultureInfo.InvariantCulture) + " s";

    private static string Spread(double[] values) => values.Length == 1 ? "1 epoch" : $"{values.Min():0.00}–{values.Max():0.00}";

    private static string Ms(double ms, double total) => $"{ms:0.000} ({100 * ms / total:0}%)";

    private static string Met(bool met) => met ? "yes" : "**no**";
}

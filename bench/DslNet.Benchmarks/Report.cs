using System.Globalization;
using System.Text;

namespace DslNet.Benchmarks;

/// <summary>The measured figures as markdown, and their place in BENCHMARKS.md (between two markers; the prose around them is kept).</summary>
internal sealed class Report(BenchOptions options, IReadOnlyList<(string Name, string Value)> machine, string load)
{
    public const string Begin = "<!-- measured:begin (written by bench/DslNet.Benchmarks; rerun it rather than editing) -->";
    public const string End = "<!-- measured:end -->";

    /// <summary>Targets of issues 15 and 23 (ratios within one run): issue 23's all-core limit is 3× at batch 128.</summary>
    private static readonly Dictionary<int, double> HandWrittenTarget = new() { [32] = 0.6, [128] = 0.8 };
    private static readonly Dictionary<int, double> LimitTarget = new() { [128] = 3.0 };
    private const double AutomaticTarget = 1.05;
    private const double GrowthTargetMb = 50;
    private const double CnnTarget = 1.0;

    private readonly List<EpochTimes> races = [];
    private readonly Dictionary<int, (MatrixProduct Product, double One, double Split, double Concurrent)[]> throughput = [];
    private readonly List<(int BatchSize, int Threads, double[] Times)> profiles = [];
    private MemoryGrowth? memory;
    private readonly List<CnnRace> cnn = [];
    private readonly List<CnnProfile> cnnProfiles = [];
    private string endLoad = "";

    public void Add(EpochTimes times) => races.Add(times);

    public void Add(int batchSize, (MatrixProduct Product, double One, double Split, double Concurrent)[] measured) => throughput[batchSize] = measured;

    public void Add(int batchSize, int threads, double[] profile) => profiles.Add((batchSize, threads, profile));

    public void Add(MemoryGrowth growth) => memory = growth;

    public void Add(CnnRace race) => cnn.Add(race);

    public void Add(CnnProfile profile) => cnnProfiles.Add(profile);

    public void Finish(string loadAtEnd) => endLoad = loadAtEnd;

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        var cores = Environment.ProcessorCount;
        text.AppendLine(Begin);
        text.AppendLine($"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC with `dotnet run -c Release --project bench/DslNet.Benchmarks{Arguments()}`; " +
                        $"load average {load} at the start, {endLoad} at the end (see the note on shared machines above).");
        text.AppendLine();
        text.AppendLine("| machine | |");
        text.AppendLine("| --- | --- |");
        foreach (var (name, value) in machine)
        {
            text.AppendLine($"| {name} | {value} |");
        }

        text.AppendLine();
        text.AppendLine("### Targets");
        text.AppendLine();
        text.AppendLine("| target | measured | met |");
        text.AppendLine("| --- | --- | :---: |");
        foreach (var race in races.Where(r => r.BestHandWritten is not null && HandWrittenTarget.ContainsKey(r.BatchSize)))
        {
            var (threads, hand) = race.BestHandWritten!.Value;
            var ratio = race.Automatic.Median / hand.Median;
            text.AppendLine($"| batch {race.BatchSize}: generated `Fit` / hand-written at its best thread count ≤ {HandWrittenTarget[race.BatchSize]} | {Seconds(race.Automatic.Median)} vs {Seconds(hand.Median)} ({threads} thread(s)): **{ratio:0.00}** | {Met(ratio <= HandWrittenTarget[race.BatchSize])} |");
        }

        foreach (var race in races.Where(r => throughput.ContainsKey(r.BatchSize) && LimitTarget.ContainsKey(r.BatchSize)))
        {
            var (all, _) = ComputeLimit.EpochSeconds(throughput[race.BatchSize], race.BatchSize, options.Samples);
            var ratio = race.Automatic.Median / all;
            text.AppendLine($"| batch {race.BatchSize}: generated `Fit` / exact all-core compute limit ≤ {LimitTarget[race.BatchSize]}× | {Seconds(race.Automatic.Median)} vs {Seconds(all)}: **{ratio:0.00}×** | {Met(ratio <= LimitTarget[race.BatchSize])} |");
        }

        foreach (var race in races)
        {
            var (plan, best) = race.BestFixed;
            var ratio = race.Automatic.Median / best.Median;
            text.AppendLine($"| batch {race.BatchSize}: automatic choice ({race.AutomaticPlan}) no more than 5% slower than the best fixed plan | {Seconds(race.Automatic.Median)} vs {Seconds(best.Median)} ({plan}): **{ratio:0.00}** | {Met(ratio <= AutomaticTarget)} |");
        }

        foreach (var race in cnn)
        {
            text.AppendLine(CnnTargetRow(race));
        }

        if (memory is { } growth)
        {
            text.AppendLine($"| memory growth across {growth.AfterEpoch.Length} epochs < {GrowthTargetMb} MB | **{growth.GrowthMb:+0.0;-0.0} MB** | {Met(growth.GrowthMb < GrowthTargetMb)} |");
        }

        text.AppendLine();
        text.AppendLine($"\"met\" is strict: the unrounded ratio against the target. Ratios compare figures of this one run.");
        text.AppendLine();
        text.AppendLine($"### Epoch time ({options.Samples:N0} samples; median of {options.Repeats} rounds after a warm-up epoch each, every contender one epoch per round in turn)");
        text.AppendLine();
        text.AppendLine("| batch | contender | median | range | / automatic `Fit` |");
        text.AppendLine("| ---: | --- | ---: | ---: | ---: |");
        foreach (var race in races)
        {
            var auto = race.Automatic.Median;
            text.AppendLine($"| {race.BatchSize} | **generated `Fit`, automatic** (chose {race.AutomaticPlan}; measuring took {race.CalibrationSeconds:0.00} s once) | **{Seconds(auto)}** | {Spread(race.Automatic.Times)} | 1.00 |");
            foreach (var (_, contender) in race.Fixed)
            {
                text.AppendLine($"| {race.BatchSize} | generated `Fit`, fixed {contender.Name[5..]} | {Seconds(contender.Median)} | {Spread(contender.Times)} | {contender.Median / auto:0.00} |");
            }

            foreach (var (_, contender) in race.HandWritten)
            {
                text.AppendLine($"| {race.BatchSize} | {contender.Name} | {Seconds(contender.Median)} | {Spread(contender.Times)} | {contender.Median / auto:0.00} |");
            }
        }

        if (cnn.Count > 0)
        {
            text.AppendLine();
            text.Append(CnnMarkdown());
        }

        text.AppendLine();
        text.AppendLine("### Compute-bound limit");
        text.AppendLine();
        text.AppendLine($"Exact matrix-product FLOPs of a step: forward Σ 2·B·K·N over the 21 Linear layers ({ComputeLimit.ForwardFlopsPerSample / 1e6:0.000} MFLOP per sample), " +
                        $"weight gradients the same, input gradients for layers 2–21 only (the first layer's input needs none): {ComputeLimit.FlopsPerSample(32) / 1e6:0.000} MFLOP per sample, " +
                        $"{ComputeLimit.FlopsPerSample(32) * options.Samples / 1e9:0.0} GFLOP per epoch. Each product's throughput is measured in its own shape and layout " +
                        $"(`torch.mm`, best of three rounds): at 1 thread, as one product over {cores} threads, and as {cores} one-thread products at once; the limit takes the best of the three for each (with every core available, using one is also an option).");
        text.AppendLine();
        text.AppendLine($"| batch | product [M×K]·[K×N] | layers | GFLOP/s 1 thread | one product, {cores} threads | {cores} products at once | used |");
        text.AppendLine("| ---: | --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (batchSize, measured) in throughput)
        {
            foreach (var (product, one, split, concurrent) in measured)
            {
                text.AppendLine($"| {batchSize} | {product.Name} [{product.M}×{product.K}]·[{product.K}×{product.N}] | {product.Count} | {one:0.0} | {split:0.0} | {concurrent:0.0} | {ComputeLimit.Best(one, split, concurrent):0.0} |");
            }
        }

        text.AppendLine();
        text.AppendLine("| batch | limit per epoch, all cores | limit at 1 thread | generated `Fit` (automatic) / limit | hand-written at its best / limit |");
        text.AppendLine("| ---: | ---: | ---: | ---: | ---: |");
        foreach (var race in races.Where(r => throughput.ContainsKey(r.BatchSize)))
        {
            var (all, one) = ComputeLimit.EpochSeconds(throughput[race.BatchSize], race.BatchSize, options.Samples);
            var hand = race.BestHandWritten is { } best ? $"{best.Times.Median / all:0.00}×" : "—";
            text.AppendLine($"| {race.BatchSize} | {Seconds(all)} | {Seconds(one)} | **{race.Automatic.Median / all:0.00}×** | {hand} |");
        }

        text.AppendLine();
        text.AppendLine($"### Where a step's time goes (ms per step, mean of {options.ProfileSteps} steps of the generated model's own step members, one replica)");
        text.AppendLine();
        text.AppendLine("| phase | " + string.Join(" | ", profiles.Select(c => $"batch {c.BatchSize}, {c.Threads} thread(s)")) + " |");
        text.AppendLine("| --- |" + string.Concat(profiles.Select(_ => " ---: |")));
        for (var phase = 0; phase < StepProfile.Phases.Length; phase++)
        {
            text.AppendLine($"| {StepProfile.Phases[phase]} | " + string.Join(" | ", profiles.Select(c => Ms(c.Times[phase], c.Times.Sum()))) + " |");
        }

        text.AppendLine("| **total** | " + string.Join(" | ", profiles.Select(c => $"**{c.Times.Sum():0.000}**")) + " |");
        text.AppendLine();
        if (memory is { } m)
        {
            text.AppendLine($"### Memory (one automatic `Fit` of {m.AfterEpoch.Length} epochs at batch 32 on {m.Samples:N0} samples; the data set itself is {m.Samples * 3072 * 4 / 1048576.0:N0} MB)");
            text.AppendLine();
            text.AppendLine("| peak working set | after epoch 1 | " + string.Join(" | ", Enumerable.Range(2, m.AfterEpoch.Length - 1).Select(e => $"after epoch {e}")) + $" | growth 1 → {m.AfterEpoch.Length} | target | met |");
            text.AppendLine("| ---: |" + string.Concat(Enumerable.Repeat(" ---: |", m.AfterEpoch.Length + 2)) + " :---: |");
            text.AppendLine($"| {m.PeakMb:N0} MB | " + string.Join(" | ", m.AfterEpoch.Select(w => $"{w:N0} MB")) + $" | **{m.GrowthMb:+0.0;-0.0} MB** | < {GrowthTargetMb} MB | {Met(m.GrowthMb < GrowthTargetMb)} |");
            text.AppendLine();
        }

        text.AppendLine(End);
        return text.ToString();
    }

    /// <summary>The convolutional networks' races: each one's table and target row.</summary>
    public string CnnMarkdown()
    {
        if (cnn.Count == 0)
        {
            throw new InvalidOperationException("No CNN race was measured.");
        }

        return string.Join(Environment.NewLine, cnn.Select(CnnMarkdown));
    }

    /// <summary>One convolutional network's race: its table, its target row, and its step profile when one was measured.</summary>
    private string CnnMarkdown(CnnRace race)
    {
        var text = new StringBuilder();
        text.AppendLine($"### {race.Network.Title} (`{race.Network.Name}`, {race.Network.ParameterCount:N0} parameters, batch {race.BatchSize}; {race.Samples:N0} samples; median of {race.Automatic.Times.Count} round(s) after a warm-up epoch each)");
        text.AppendLine();
        text.AppendLine("| contender | median | range | generated / hand-written, same threads |");
        text.AppendLine("| --- | ---: | ---: | ---: |");
        text.AppendLine($"| **generated `Fit`, automatic** (chose {race.AutomaticPlan}) | **{Seconds(race.Automatic.Median)}** | {Spread(race.Automatic.Times)} | |");
        foreach (var (threads, generated, handWritten) in race.AtThreads)
        {
            text.AppendLine($"| generated `Fit`, fixed {threads} thread(s) | {Seconds(generated.Median)} | {Spread(generated.Times)} | **{generated.Median / handWritten.Median:0.00}** |");
            text.AppendLine($"| hand-written TorchSharp {race.Network.Kind}, {threads} thread(s) | {Seconds(handWritten.Median)} | {Spread(handWritten.Times)} | |");
        }

        text.AppendLine();
        text.AppendLine("| target | measured | met |");
        text.AppendLine("| --- | --- | :---: |");
        text.AppendLine(CnnTargetRow(race));
        var profiles = cnnProfiles.Where(p => p.Network == race.Network).ToArray();
        if (profiles.Length > 0)
        {
            text.AppendLine();
            text.Append(ProfileMarkdown(profiles));
        }

        return text.ToString();
    }

    /// <summary>
    /// A convolutional network's step, phase by phase, generated and hand-written side by side at each thread count, and
    /// what each whole epoch takes per step beyond its phases.
    /// </summary>
    private static string ProfileMarkdown(CnnProfile[] profiles)
    {
        var text = new StringBuilder();
        var first = profiles[0];
        text.AppendLine($"Where a {first.Network.Kind} step's time goes (ms per step, mean of {first.Steps} steps after 2 warm-up steps, fresh models; then one timed epoch of each, per step):");
        text.AppendLine();
        text.AppendLine("| phase | " + string.Join(" | ", profiles.Select(p => $"generated, {p.Threads} thread(s) | hand-written, {p.Threads} thread(s)")) + " |");
        text.AppendLine("| --- |" + string.Concat(profiles.Select(_ => " ---: | ---: |")));
        for (var phase = 0; phase < StepProfile.Phases.Length; phase++)
        {
            text.AppendLine($"| {StepProfile.Phases[phase]} | " + string.Join(" | ", profiles.Select(p => $"{p.Generated[phase]:0.0} | {p.HandWritten[phase]:0.0}")) + " |");
        }

        text.AppendLine("| **Σ phases** | " + string.Join(" | ", profiles.Select(p => $"**{p.Generated.Sum():0.0}** | **{p.HandWritten.Sum():0.0}**")) + " |");
        text.AppendLine("| whole epoch / steps (`Fit`; the loop) | " + string.Join(" | ", profiles.Select(p => $"{p.FitStep:0.0} | {p.HandWrittenStep:0.0}")) + " |");
        text.AppendLine("| what the loop adds (epoch − phases) | " + string.Join(" | ", profiles.Select(p => $"{p.FitRest:0.0} | {p.HandWrittenRest:0.0}")) + " |");
        return text.ToString();
    }

    private static string CnnTargetRow(CnnRace race)
    {
        var ratios = race.AtThreads.Select(t => (t.Threads, Ratio: t.Generated.Median / t.HandWritten.Median)).ToArray();
        var measured = string.Join("; ", ratios.Select(r => $"{r.Threads} thread(s): **{r.Ratio:0.00}**"));
        return $"| {race.Network.Kind}, batch {race.BatchSize}: generated `Fit` / hand-written TorchSharp at the same thread count ≤ {CnnTarget:0.0}, at every thread count | {measured} | {Met(ratios.All(r => r.Ratio <= CnnTarget))} |";
    }

    /// <summary>The existing report with its measured section replaced (or appended when it has none).</summary>
    public static string Merge(string? existing, string measured) => Merge(existing, measured, Begin, End);

    /// <summary>The existing report with the section between <paramref name="beginMarker"/> and <paramref name="endMarker"/> replaced (or appended when it has none).</summary>
    public static string Merge(string? existing, string measured, string beginMarker, string endMarker)
    {
        if (existing is null)
        {
            return "# Benchmarks\n\n" + measured;
        }

        var begin = existing.IndexOf(beginMarker, StringComparison.Ordinal);
        var end = existing.IndexOf(endMarker, StringComparison.Ordinal);
        if (begin < 0 || end < begin)
        {
            return existing.TrimEnd() + "\n\n" + measured;
        }

        var after = existing[(end + endMarker.Length)..].TrimStart('\r', '\n');
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
        if (options.CnnSamples != defaults.CnnSamples) parts.Add($"--cnn-samples {options.CnnSamples}");
        return parts.Count == 0 ? "" : " -- " + string.Join(' ', parts);
    }

    private static string Seconds(double seconds) => seconds.ToString("0.00", CultureInfo.InvariantCulture) + " s";

    private static string Spread(List<double> values) => values.Count == 1 ? "1 epoch" : $"{values.Min():0.00}–{values.Max():0.00}";

    private static string Ms(double ms, double total) => $"{ms:0.000} ({100 * ms / total:0}%)";

    private static string Met(bool met) => met ? "yes" : "**no**";
}

using System.Diagnostics;
using DslNet.Training;
using TorchSharp;

namespace DslNet.Benchmarks;

/// <summary>One contender's epoch times: the generated Fit (automatic or at a fixed plan) or the hand-written loop at a thread count.</summary>
internal sealed record Contender(string Name, List<double> Times)
{
    public double Median => EpochTimes.Median([.. Times]);
}

/// <summary>
/// At one batch size: the generated <c>Fit</c> with its automatic choice, <c>Fit</c> at every plan it may choose
/// (threads × replicas), and the hand-written loop at TorchSharp's default thread count and at every thread count <c>Fit</c>
/// may choose. One warm-up epoch each (the automatic <c>Fit</c> measures its choice there, once per process), then
/// <paramref name="repeats"/> rounds in which every contender trains one epoch in turn, so a passing load touches all alike.
/// </summary>
internal sealed record EpochTimes(int BatchSize, Contender Automatic, string AutomaticPlan, double CalibrationSeconds,
    IReadOnlyList<(StepPlan Plan, Contender Times)> Fixed, IReadOnlyList<(int Threads, Contender Times)> HandWritten)
{
    /// <summary>The fastest fixed plan (by median).</summary>
    public (StepPlan Plan, Contender Times) BestFixed => Fixed.MinBy(f => f.Times.Median);

    /// <summary>The hand-written loop at its fastest thread count (by median); null when it was not run.</summary>
    public (int Threads, Contender Times)? BestHandWritten => HandWritten.Count == 0 ? null : HandWritten.MinBy(h => h.Times.Median);

    public static EpochTimes Measure(Dataset data, int batchSize, int repeats, int defaultThreads, bool handWritten, TextWriter log)
    {
        var plans = TrainingThreads.Candidates(TrainingThreads.Available, batchSize, replicable: true);
        var handThreads = handWritten ? plans.Select(p => p.Threads).Append(defaultThreads).Distinct().Order().ToArray() : [];
        var automatic = new Contender("Fit, automatic", []);
        var fixedTimes = plans.Select(p => (Plan: p, Times: new Contender($"Fit, {p}", []))).ToArray();
        var handTimes = handThreads.Select(t => (Threads: t, Times: new Contender($"hand-written, {t} thread(s)", []))).ToArray();
        var models = new List<IDisposable>();
        try
        {
            var automaticModel = new SwishNet();
            models.Add(automaticModel);
            var fixedModels = plans.Select(_ => new SwishNet()).ToArray();
            models.AddRange(fixedModels);
            var handModels = handThreads.Select(_ => HandWrittenLoop.Dense()).ToArray();
            models.AddRange(handModels);
            var chosen = "";
            var calibration = 0.0;
            for (var number = 0; number <= repeats; number++)
            {
                var round = new Round(number);
                round.Time(automatic, () =>
                {
                    var history = automaticModel.Fit(data, null, new FitOptions { Epochs = 1, Progress = false, BatchSize = batchSize });
                    chosen = new StepPlan(history.Threads, history.Replicas).ToString();
                    calibration = Math.Max(calibration, history.CalibrationSeconds);
                });
                for (var i = 0; i < plans.Length; i++)
                {
                    var (plan, model) = (plans[i], fixedModels[i]);
                    round.Time(fixedTimes[i].Times, () => model.Fit(data, null, new FitOptions { Epochs = 1, Progress = false, BatchSize = batchSize, Threads = plan.Threads, Replicas = plan.Replicas }));
                }

                for (var i = 0; i < handThreads.Length; i++)
                {
                    var (threads, loop) = (handThreads[i], handModels[i]);
                    round.Time(handTimes[i].Times, () => loop.TrainEpoch(data, batchSize, threads));
                }

                log.WriteLine($"  batch {batchSize}, {round} (automatic: {chosen})");
            }

            return new EpochTimes(batchSize, automatic, chosen, calibration, fixedTimes, handTimes);
        }
        finally
        {
            foreach (var model in models)
            {
                model.Dispose();
            }
        }
    }

    public static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

/// <summary>
/// One round of a race: times each contender's epoch in turn, keeps the time unless this is the warm-up round (number 0),
/// and describes the round on one line for the log.
/// </summary>
internal sealed class Round(int number)
{
    private readonly List<string> line = [];

    public void Time(Contender contender, Action epoch)
    {
        var clock = Stopwatch.StartNew();
        epoch();
        var seconds = clock.Elapsed.TotalSeconds;
        line.Add($"{contender.Name} {seconds:0.00} s");
        if (number > 0)
        {
            contender.Times.Add(seconds);
        }
    }

    public override string ToString() => $"{(number == 0 ? "warm-up" : $"round {number}")}: {string.Join("; ", line)}";
}

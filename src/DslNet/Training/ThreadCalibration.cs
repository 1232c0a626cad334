using System.Collections.Concurrent;
using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace DslNet.Training;

/// <summary>
/// Chooses a run's threads by measurement: a few real training steps on the run's first batch at each candidate plan
/// (<see cref="TrainingThreads.Candidates"/>), interleaved in rounds so a passing load on the machine touches every
/// candidate alike, and the fastest kept (by its median step). A candidate far behind after a round, or with one step far
/// slower than the best so far, is dropped, so the cost stays a few dozen steps even where a thread count collapses on a
/// busy machine. The steps run on the model and optimizer themselves, which are put back exactly afterwards through the
/// run's one <see cref="State.TrainingState"/> (weights, batch-norm statistics, optimizer moments, step count, learning
/// rate, torch's generator and every augmentation layer's own; the batch sampler is not touched), so a run with the
/// automatic choice is the same as a run with the chosen counts set. The choice is cached
/// per process, model type, size, optimizer and batch size.
/// </summary>
internal static class ThreadCalibration
{
    /// <summary>Rounds of timing per candidate.</summary>
    internal const int Rounds = 3;

    /// <summary>Steps per candidate per round: the first <see cref="UntimedSteps"/> (after switching plans) are not timed.</summary>
    internal const int StepsPerRound = 6;

    /// <summary>
    /// Steps after a switch that are not timed: the first starts the thread pool at the new count, and the next few still
    /// run faster or slower than the plan's steady state (caches and clocks of the cores the last plan used or left idle).
    /// </summary>
    internal const int UntimedSteps = 2;

    /// <summary>A candidate with one timed step this much slower than the best median so far is dropped at once.</summary>
    internal const double AbandonBehind = 4;

    /// <summary>
    /// The same for the untimed steps after a switch, the first of which also pays for starting the thread pool at the new
    /// count (several times a step on an idle machine): only a collapse this far behind ends a candidate before its timed steps.
    /// </summary>
    internal const double AbandonUntimedBehind = 25;

    /// <summary>A candidate slower than the best by this factor after a round is not measured again.</summary>
    internal const double DropBehind = 1.3;

    private static readonly ConcurrentDictionary<string, StepPlan> Chosen = new();

    [ThreadStatic]
    private static int measurementsOnThisThread;

    /// <summary>How many times <see cref="Measure"/> ran on the calling thread (tests of when a run measures).</summary>
    internal static int MeasurementsOnThisThread => measurementsOnThisThread;

    /// <summary>Forgets the cached choices, so the next run measures again (tests of the measurement itself).</summary>
    internal static void ForgetChoices() => Chosen.Clear();

    /// <summary>
    /// The plan of a run: the settings' threads/replicas when given, else the measured fastest (cached), and the
    /// seconds spent measuring (0 when given or cached). With <paramref name="allowReplicas"/> false the plan has one replica.
    /// </summary>
    public static (StepPlan Plan, double Seconds) Choose<TModel>(TModel model, Optimizer optimizer, Dataset train, TrainingSettings settings, bool allowReplicas)
        where TModel : nn.Module<Tensor, Tensor>, ITrainableModel
    {
        var replicable = allowReplicas && DataParallelStep.Supports(model, optimizer);
        var available = TrainingThreads.Available;
        if (settings.Options.Threads is { } threads)
        {
            return (new StepPlan(threads, replicable ? settings.Options.Replicas ?? 1 : 1), 0);
        }

        if (settings.Options.Replicas is { } replicas && (replicas == 1 || replicable))
        {
            return (new StepPlan(Math.Max(1, available / replicas), replicas), 0);
        }

        var candidates = TrainingThreads.Candidates(available, settings.BatchSize, replicable);
        if (candidates.Length == 1)
        {
            return (candidates[0], 0);
        }

        if (Chosen.TryGetValue(Key(model, optimizer, train, settings, available, replicable), out var cached))
        {
            return (cached, 0);
        }

        return Remeasure(model, optimizer, train, settings, available, allowReplicas);
    }

    /// <summary>
    /// Measures the candidates again, whatever is cached, and caches the new choice: the run's re-check after its first
    /// epoch (<see cref="RecheckWorthIt"/>), on the model as that epoch left it. The model, the optimizer and torch's random
    /// state are put back exactly, as in <see cref="Choose"/>. <paramref name="available"/> is
    /// <see cref="TrainingThreads.Available"/> before the run set its own count.
    /// </summary>
    public static (StepPlan Plan, double Seconds) Remeasure<TModel>(TModel model, Optimizer optimizer, Dataset train, TrainingSettings settings, int available, bool allowReplicas)
        where TModel : nn.Module<Tensor, Tensor>, ITrainableModel
    {
        var replicable = allowReplicas && DataParallelStep.Supports(model, optimizer);
        var candidates = TrainingThreads.Candidates(available, settings.BatchSize, replicable);
        var clock = Stopwatch.StartNew();
        var times = Measure(model, optimizer, train, settings.BatchSize, candidates);
        var best = candidates[Array.IndexOf(times, times.Min())];
        Chosen[Key(model, optimizer, train, settings, available, replicable)] = best;
        return (best, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Whether a run whose threads were measured at its start measures them again before its second epoch: when the
    /// machine's load at the start misled the choice (a busy machine makes a two-thread step collapse, so one thread wins,
    /// and the load may be gone a minute later), the rest of the run pays for it. Worth it when the re-check's steps, at
    /// most every candidate's <see cref="Rounds"/> × <see cref="StepsPerRound"/>, are at most
    /// <see cref="RecheckShare"/> of the steps left.
    /// </summary>
    public static bool RecheckWorthIt(int candidates, long stepsLeft) =>
        candidates > 1 && candidates * Rounds * StepsPerRound <= RecheckShare * stepsLeft;

    /// <summary>The largest share of a run's remaining steps the first-epoch re-check of its threads may cost.</summary>
    internal const double RecheckShare = 0.05;

    private static string Key(nn.Module model, Optimizer optimizer, Dataset train, TrainingSettings settings, int available, bool replicable) =>
        string.Join('|', model.GetType().FullName, optimizer.GetType().FullName, optimizer.ElementCount, settings.BatchSize,
            string.Join(',', train.Features.shape.Skip(1)), available, replicable);

    /// <summary>
    /// Seconds per step of each plan in <paramref name="candidates"/> (the median of its timed steps: under load a plan
    /// whose threads wait on each other varies most, and its luckiest step would flatter it) on the first batch of
    /// <paramref name="train"/>; the model, the optimizer and torch's random state are put back exactly.
    /// </summary>
    internal static double[] Measure<TModel>(TModel model, Optimizer optimizer, Dataset train, int batchSize, IReadOnlyList<StepPlan> candidates)
        where TModel : nn.Module<Tensor, Tensor>, ITrainableModel
    {
        measurementsOnThisThread++;
        var wasTraining = model.training;
        var previousThreads = torch.get_num_threads();
        var state = State.TrainingState.ForSteps(model, optimizer);
        using var saved = state.Capture();
        var steps = new DataParallelStep?[candidates.Count];
        // Every plan trains with the update split over all cores (as FitRun runs it), so that none is measured unlike its run.
        using var update = TrainingThreads.UseForUpdate(optimizer, TrainingThreads.Available);
        try
        {
            for (var i = 0; i < candidates.Count; i++)
            {
                steps[i] = TrainingThreads.Replicate(model, optimizer, candidates[i]);
            }

            model.train();
            using var scope = torch.NewDisposeScope();
            var size = Math.Min(batchSize, train.Count);
            var features = train.Features.narrow(0, 0, size);
            var labels = train.Labels.narrow(0, 0, size);
            var clock = new Stopwatch();
            return Race(candidates.Count, i => torch.set_num_threads(candidates[i].Threads), i =>
            {
                clock.Restart();
                using (torch.NewDisposeScope())
                {
                    _ = steps[i] is { } parallel ? parallel.TrainBatch(features, labels) : TrainingLoop.TrainBatch(model, optimizer, features, labels);
                }

                return clock.Elapsed.TotalSeconds;
            });
        }
        finally
        {
            foreach (var step in steps)
            {
                step?.Dispose();
            }

            torch.set_num_threads(previousThreads);
            state.Restore(saved);
            optimizer.ZeroGrad();
            model.train(wasTraining);
        }
    }

    /// <summary>
    /// The timing policy, apart from torch: <see cref="Rounds"/> rounds in which each candidate still in the race is switched
    /// to (<paramref name="switchTo"/>) and runs <see cref="StepsPerRound"/> steps (<paramref name="step"/> returns a step's
    /// seconds), the first <see cref="UntimedSteps"/> untimed. After a round, a candidate more than <see cref="DropBehind"/>
    /// times the best median is not measured again; a step far slower than the best so far (<see cref="AbandonBehind"/>, or
    /// <see cref="AbandonUntimedBehind"/> for the untimed ones) ends a candidate's round and keeps it behind. Returns each
    /// candidate's median timed step (its abandoning step's time when it has none).
    /// </summary>
    internal static double[] Race(int count, Action<int> switchTo, Func<int, double> step)
    {
        var times = Enumerable.Range(0, count).Select(_ => new List<double>()).ToArray();
        double Score(int i) => times[i].Count == 0 ? double.PositiveInfinity : Median(times[i]);
        double Leader() => Enumerable.Range(0, count).Min(Score);
        for (var round = 0; round < Rounds; round++)
        {
            // After the first round, a candidate far behind the best is not measured again (it keeps its time).
            var cutoff = round == 0 ? double.PositiveInfinity : Leader() * DropBehind;
            for (var i = 0; i < count; i++)
            {
                if (Score(i) > cutoff)
                {
                    continue;
                }

                switchTo(i);
                for (var index = 0; index < StepsPerRound; index++)
                {
                    var seconds = step(i);
                    if (index >= UntimedSteps)
                    {
                        times[i].Add(seconds);
                    }

                    // A step far slower than the best so far (a thread count that collapses on a busy machine) ends this
                    // candidate at once: its remaining steps would cost more than all the others together.
                    var leader = Leader();
                    var limit = (index < UntimedSteps ? AbandonUntimedBehind : AbandonBehind) * leader;
                    if (seconds > limit && Score(i) > leader)
                    {
                        if (times[i].Count == 0)
                        {
                            times[i].Add(seconds);
                        }

                        break;
                    }
                }
            }
        }

        return Enumerable.Range(0, count).Select(Score).ToArray();
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}

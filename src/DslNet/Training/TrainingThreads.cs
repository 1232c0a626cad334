using TorchSharp;

namespace DslNet.Training;

/// <summary>How a run spreads its training steps over cores: intra-op threads per replica, and data-parallel replicas.</summary>
/// <param name="Threads">Torch's intra-op thread count during training (each replica's).</param>
/// <param name="Replicas">The number of data-parallel replicas (1 = the whole batch on the calling thread).</param>
internal readonly record struct StepPlan(int Threads, int Replicas)
{
    public override string ToString() => Replicas == 1 ? $"{Threads} thread(s)" : $"{Replicas} replicas × {Threads} thread(s)";
}

/// <summary>
/// The thread counts training may use, and torch's intra-op thread count for the duration of a run. Which one is used
/// is measured (<see cref="ThreadCalibration"/>): a small dense net's step is a chain of small matrix products whose
/// split over threads can cost more in synchronization than it saves, or not, depending on the machine and the batch.
/// </summary>
internal static class TrainingThreads
{
    /// <summary>The most threads a run may use: torch's current intra-op count (every core unless the application lowered it), at most the cores.</summary>
    public static int Available => Math.Max(1, Math.Min(torch.get_num_threads(), Environment.ProcessorCount));

    /// <summary>
    /// The plans a run chooses from with <paramref name="available"/> threads: every power of two below it and
    /// <paramref name="available"/> itself as intra-op threads; with <paramref name="replicable"/>, as many replicas (each
    /// with an equal share of the threads, and at least two samples of the batch).
    /// </summary>
    public static StepPlan[] Candidates(int available, int batchSize, bool replicable)
    {
        var counts = new List<int>();
        for (var count = 1; count < available; count *= 2)
        {
            counts.Add(count);
        }

        counts.Add(available);
        var plans = counts.Select(t => new StepPlan(t, 1)).ToList();
        if (replicable)
        {
            plans.AddRange(counts.Where(r => r > 1 && 2 * r <= batchSize).Select(r => new StepPlan(available / r, r)));
        }

        return [.. plans];
    }

    /// <summary>Sets torch's intra-op thread count until the returned scope is disposed, which restores the previous count.</summary>
    public static Scope Use(int threads)
    {
        var previous = torch.get_num_threads();
        if (threads != previous)
        {
            torch.set_num_threads(threads);
        }

        return new Scope(previous, threads);
    }

    /// <summary>
    /// Lets <paramref name="optimizer"/>'s fused update split over <paramref name="threads"/> (every core training may use)
    /// until the returned scope is disposed, which puts back the previous count. Element-wise, the update gives the same
    /// result however it is split; with a one-thread step, the other cores would otherwise sit idle through it.
    /// </summary>
    public static UpdateScope UseForUpdate(Optimizer optimizer, int threads)
    {
        var previous = optimizer.UpdateThreads;
        optimizer.UpdateThreads = Math.Max(1, threads);
        return new UpdateScope(optimizer, previous);
    }

    /// <summary>The replicas of <paramref name="plan"/>; null when it has one (the plain step).</summary>
    public static DataParallelStep? Replicate(ITrainableModel model, Optimizer optimizer, StepPlan plan) =>
        plan.Replicas > 1 ? new DataParallelStep(model, optimizer, plan.Replicas, plan.Threads) : null;

    /// <summary>Restores the update's thread count that was in effect before <see cref="UseForUpdate"/>.</summary>
    public readonly struct UpdateScope(Optimizer optimizer, int previous) : IDisposable
    {
        public void Dispose() => optimizer.UpdateThreads = previous;
    }

    /// <summary>Restores the thread count that was in effect before <see cref="Use"/>.</summary>
    public readonly struct Scope(int previous, int current) : IDisposable
    {
        /// <summary>Puts back the previous count, also when the count was changed again inside the scope (a run's re-check).</summary>
        public void Dispose()
        {
            if (previous != current || torch.get_num_threads() != previous)
            {
                torch.set_num_threads(previous);
            }
        }
    }
}

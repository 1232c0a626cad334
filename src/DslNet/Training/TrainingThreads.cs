using TorchSharp;

namespace DslNet.Training;

/// <summary>
/// How many intra-op threads training uses. A training step of a small dense net is a chain of small matrix products and
/// element-wise operations; splitting each of them over threads costs a synchronization per operation, which at small
/// batches costs more than the arithmetic it shares (on the 2-core reference machine one thread trains the 20×100 Swish net
/// at batch 32 about twice as fast as two). The automatic choice is deterministic, so a seeded run stays reproducible.
/// </summary>
internal static class TrainingThreads
{
    /// <summary>
    /// A step's forward multiply-adds (batch size × trainable parameters, for dense layers) from which more threads are used.
    /// Calibrated with <c>bench/DslNet.Benchmarks -- --thread-sweep</c> on the 2-core reference machine: the 500k-parameter
    /// Swish net trains fastest on one thread at batch 32 and 64 (16M, 32M: about twice as fast as on two at batch 32) and
    /// equally fast at batch 128 (64M), where one thread also stays fast when another process takes a core (two threads then
    /// wait on each other at every operation).
    /// </summary>
    internal const long ParallelWorkPerStep = 100_000_000;

    /// <summary>
    /// The thread count of a run: the settings' <see cref="TrainingSettings.Threads"/>, else <see cref="Automatic"/> with torch's
    /// current thread count as the most (every core unless the application lowered it with <c>torch.set_num_threads</c>).
    /// </summary>
    public static int For(TrainingSettings settings, Optimizer optimizer) =>
        settings.Threads ?? Automatic(optimizer.ElementCount, settings.BatchSize, torch.get_num_threads());

    /// <summary>The automatic thread count: one thread below <see cref="ParallelWorkPerStep"/>, else <paramref name="available"/>.</summary>
    public static int Automatic(long parameters, int batchSize, int available) =>
        parameters * batchSize < ParallelWorkPerStep ? 1 : Math.Max(1, available);

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

    /// <summary>Restores the thread count that was in effect before <see cref="Use"/>.</summary>
    public readonly struct Scope(int previous, int current) : IDisposable
    {
        public void Dispose()
        {
            if (previous != current)
            {
                torch.set_num_threads(previous);
            }
        }
    }
}

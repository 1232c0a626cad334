using System.Diagnostics;
using TorchSharp;

namespace DslNet.Benchmarks;

/// <summary>
/// The compute-bound limit of an epoch: the network's floating-point operations (forward 2·K·N per Linear per sample,
/// backward ≈ 2× forward) divided by the matrix-product throughput measured on this machine.
/// </summary>
internal static class ComputeLimit
{
    /// <summary>The Linear layers of the Swish net as (inputs, outputs).</summary>
    public static readonly (int In, int Out)[] Layers =
        [(3072, 100), .. Enumerable.Repeat((100, 100), 19), (100, 10)];

    /// <summary>Forward FLOPs per sample: Σ 2·K·N.</summary>
    public static double ForwardFlopsPerSample => Layers.Sum(l => 2.0 * l.In * l.Out);

    /// <summary>Forward + backward FLOPs of one epoch over <paramref name="samples"/> samples (backward ≈ 2× forward).</summary>
    public static double EpochFlops(int samples) => 3 * ForwardFlopsPerSample * samples;

    /// <summary>
    /// GFLOP/s of <c>torch.mm</c> of the first layer's shape ([batch, 3072] × [3072, 100]) at <paramref name="threads"/>
    /// intra-op threads: the best of five ~0.2 s rounds (the least disturbed by other processes).
    /// </summary>
    public static double MatmulGflops(int batchSize, int threads)
    {
        var previous = torch.get_num_threads();
        torch.set_num_threads(threads);
        try
        {
            using var scope = torch.NewDisposeScope();
            var a = torch.rand(batchSize, 3072);
            var b = torch.rand(3072, 100);
            var flops = 2.0 * batchSize * 3072 * 100;
            var reps = Math.Max(10, (int)(2e9 / flops)); // ≈ 2 GFLOP per round
            for (var i = 0; i < reps / 4; i++)
            {
                a.mm(b).Dispose();
            }

            var best = double.MaxValue;
            for (var round = 0; round < 5; round++)
            {
                var clock = Stopwatch.StartNew();
                for (var i = 0; i < reps; i++)
                {
                    a.mm(b).Dispose();
                }

                best = Math.Min(best, clock.Elapsed.TotalSeconds);
            }

            return flops * reps / best / 1e9;
        }
        finally
        {
            torch.set_num_threads(previous);
        }
    }
}

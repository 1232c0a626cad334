using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace DslNet.Benchmarks;

/// <summary>One matrix product of a training step: C[M, N] = A[M, K] · B[K, N], with the operands laid out as <c>Linear</c> has them.</summary>
/// <param name="Name">Which product (layer and pass).</param>
/// <param name="M">Rows of the result.</param>
/// <param name="K">The reduced dimension.</param>
/// <param name="N">Columns of the result.</param>
/// <param name="Count">How many layers of the step run this product.</param>
/// <param name="Layout">How the operands are stored: forward x·Wᵀ, input gradient dY·W, weight gradient dYᵀ·x.</param>
internal sealed record MatrixProduct(string Name, int M, int K, int N, int Count, string Layout)
{
    public double Flops => 2.0 * M * K * N * Count;

    /// <summary>Operands laid out as in the training step, and the product as a function.</summary>
    public Func<Tensor> Create(Generator generator)
    {
        switch (Layout)
        {
            case "x·Wᵀ":
                {
                    var x = rand([M, K], generator: generator);
                    var w = rand([N, K], generator: generator);
                    return () => x.mm(w.t());
                }

            case "dY·W":
                {
                    var dy = rand([M, K], generator: generator);
                    var w = rand([K, N], generator: generator);
                    return () => dy.mm(w);
                }

            default:
                {
                    var dy = rand([K, M], generator: generator);
                    var x = rand([K, N], generator: generator);
                    return () => dy.t().mm(x);
                }
        }
    }
}

/// <summary>
/// The compute-bound limit of an epoch: the exact matrix-product FLOPs of the Swish net's training step (forward, weight
/// gradients, and input gradients for every layer but the first, whose input needs none; biases and activations, which are
/// not matrix products, are left out, so the limit is if anything too low) divided by this machine's measured throughput
/// for each product's own shape and layout with all cores available: the best of one thread, one product split over
/// every core (intra-op threads), and every core running its own one-thread product at once (what replicas do).
/// </summary>
internal static class ComputeLimit
{
    /// <summary>The Linear layers of the Swish net as (inputs, outputs).</summary>
    public static readonly (int In, int Out)[] Layers = [(3072, 100), .. Enumerable.Repeat((100, 100), 19), (100, 10)];

    /// <summary>Every matrix product of one training step at <paramref name="batchSize"/>, grouped by shape.</summary>
    public static MatrixProduct[] Products(int batchSize)
    {
        var products = new List<MatrixProduct>();
        for (var i = 0; i < Layers.Length; i++)
        {
            var (k, n) = Layers[i];
            var layer = i == 0 ? "first layer" : i == Layers.Length - 1 ? "output layer" : "hidden layers 2–20";
            var count = i == 0 || i == Layers.Length - 1 ? 1 : Layers.Length - 2;
            if (i > 1 && i < Layers.Length - 1)
            {
                continue; // the 19 hidden 100×100 layers: counted once with Count = 19
            }

            products.Add(new MatrixProduct($"{layer}, forward", batchSize, k, n, count, "x·Wᵀ"));
            if (i > 0)
            {
                products.Add(new MatrixProduct($"{layer}, input gradient", batchSize, n, k, count, "dY·W"));
            }

            products.Add(new MatrixProduct($"{layer}, weight gradient", n, batchSize, k, count, "dYᵀ·x"));
        }

        return [.. products];
    }

    /// <summary>Matrix-product FLOPs of one training sample's step (forward + backward, exact).</summary>
    public static double FlopsPerSample(int batchSize) => Products(batchSize).Sum(p => p.Flops) / batchSize;

    /// <summary>Forward FLOPs per sample (Σ 2·K·N).</summary>
    public static double ForwardFlopsPerSample => Layers.Sum(l => 2.0 * l.In * l.Out);

    /// <summary>Throughput (GFLOP/s) of each product: one thread; one product over <paramref name="cores"/> threads; <paramref name="cores"/> one-thread products at once.</summary>
    public static (MatrixProduct Product, double One, double Split, double Concurrent)[] Measure(int batchSize, int cores)
    {
        var previous = get_num_threads();
        try
        {
            return Products(batchSize).Select(p => (p, Gflops(p, 1, 1), Gflops(p, cores, 1), cores > 1 ? Gflops(p, 1, cores) : Gflops(p, 1, 1))).ToArray();
        }
        finally
        {
            set_num_threads(previous);
        }
    }

    /// <summary>The limit of an epoch of <paramref name="samples"/> at the machine's best throughput per product (and at one thread).</summary>
    public static (double AllCores, double OneThread) EpochSeconds((MatrixProduct Product, double One, double Split, double Concurrent)[] throughput, int batchSize, int samples)
    {
        var steps = (double)samples / batchSize;
        var all = throughput.Sum(t => t.Product.Flops / (Best(t.One, t.Split, t.Concurrent) * 1e9));
        var one = throughput.Sum(t => t.Product.Flops / (t.One * 1e9));
        return (all * steps, one * steps);
    }

    /// <summary>The machine's throughput for a product: the best way of running it with every core available (one of which is using one).</summary>
    public static double Best(double one, double split, double concurrent) => Math.Max(one, Math.Max(split, concurrent));

    /// <summary>GFLOP/s of <paramref name="streams"/> threads each running the product at <paramref name="threads"/> intra-op threads: best of three ~50 ms rounds.</summary>
    private static double Gflops(MatrixProduct product, int threads, int streams)
    {
        set_num_threads(threads);
        var single = product with { Count = 1 };
        var reps = Math.Max(20, (int)(1e8 / single.Flops));
        var best = double.MaxValue;
        using var start = new Barrier(streams);
        var rounds = 3;
        void Stream(bool timing)
        {
            if (!timing)
            {
                set_num_threads(threads);
            }

            using var scope = NewDisposeScope();
            using var generator = new Generator(1);
            var run = single.Create(generator);
            for (var i = 0; i < reps / 4; i++)
            {
                run().Dispose();
            }

            for (var round = 0; round < rounds; round++)
            {
                start.SignalAndWait();
                var clock = Stopwatch.StartNew();
                for (var i = 0; i < reps; i++)
                {
                    run().Dispose();
                }

                start.SignalAndWait();
                if (timing)
                {
                    best = Math.Min(best, clock.Elapsed.TotalSeconds);
                }
            }
        }

        var others = Enumerable.Range(1, streams - 1).Select(_ => new Thread(() => Stream(false))).ToArray();
        foreach (var thread in others)
        {
            thread.Start();
        }

        Stream(true);
        foreach (var thread in others)
        {
            thread.Join();
        }

        return streams * single.Flops * reps / best / 1e9;
    }
}

using DslNet.Tests.Validation;
using DslNet.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DslNet.Tests.Training;

/// <summary>
/// Subnormal floats are flushed to zero inside DslNet's training steps, on the calling thread, on libtorch's thread pool
/// and on the threads of the optimizer's split update, and stay subnormal outside: the caller's mode is put back.
/// 1e-20 × 1e-20 = 1e-40 is subnormal in float32 (the smallest normal float is 1.2e-38).
/// </summary>
[Collection(TorchRandomCollection.Name)]
public sealed class SubnormalFlushTests
{
    [Fact]
    public void A_subnormal_product_is_zero_inside_a_training_step_and_subnormal_outside()
    {
        var (train, validation) = SyntheticData.Blobs(classes: 3, features: 4, perClassTrain: 16, perClassValidation: 4);
        var probe = new Probe();
        using var model = new ThreeClassNet();
        Assert.Equal(0, ZeroProducts(threads: 1)); // before: subnormal

        model.Fit(train, validation, new FitOptions { Epochs = 1, Progress = false, Threads = 2, Callbacks = [probe] });

        Assert.All(probe.ZerosPerStep, zeros => Assert.Equal(Probe.Count, zeros)); // every product flushed, on both threads
        Assert.Equal(0, ZeroProducts(threads: 1)); // after: the caller's mode is back
        Assert.Equal(0, ZeroProducts(threads: 2)); // and the pool's
    }

    [Fact]
    public void FlushSubnormals_false_leaves_them_subnormal()
    {
        var (train, validation) = SyntheticData.Blobs(classes: 3, features: 4, perClassTrain: 16, perClassValidation: 4);
        var probe = new Probe();
        using var model = new ThreeClassNet();

        model.Fit(train, validation, new FitOptions { Epochs = 1, Progress = false, Threads = 2, FlushSubnormals = false, Callbacks = [probe] });

        Assert.All(probe.ZerosPerStep, zeros => Assert.Equal(0, zeros));
    }

    /// <summary>The optimizer's fused update split over .NET pool threads flushes as its caller does, and leaves those threads as they were.</summary>
    [Fact]
    public void The_split_optimizer_update_flushes_on_every_part_and_leaves_the_pool_threads_alone()
    {
        var length = 4 * MomentKernel.MinimumPerPart;
        using var values = torch.zeros(length);
        using var gradients = torch.full(length, 1e-37f);
        using var first = torch.zeros(length);
        using var second = torch.zeros(length);

        using (SubnormalFlush.Use(true, TrainingThreads.Available))
        {
            // first += 0.1 · (g − first) = 1e-38: subnormal, so zero when flushed.
            MomentKernel.Apply(values, gradients, first, second, parts: 4, 0.1f, 0.999f, 0.001f, 1e-7f, 0, 0);
        }

        Assert.Equal(0, first.count_nonzero().item<long>());
        Assert.All(Enumerable.Range(0, 16).AsParallel().Select(_ => SubnormalFlush.IsOn()), on => Assert.False(on));

        MomentKernel.Apply(values, gradients, first, second, parts: 4, 0.1f, 0.999f, 0.001f, 1e-7f, 0, 0);
        Assert.Equal(length, first.count_nonzero().item<long>()); // without the scope, subnormal
    }

    /// <summary>How many of a large batch of subnormal products are zero, computed with <paramref name="threads"/> intra-op threads.</summary>
    private static long ZeroProducts(int threads)
    {
        using var use = TrainingThreads.Use(threads);
        using var scope = torch.NewDisposeScope();
        return Probe.Count - torch.full(Probe.Count, 1e-20f).mul(1e-20f).count_nonzero().item<long>();
    }

    /// <summary>Counts, after every training step, the zero products computed on the run's threads.</summary>
    private sealed class Probe : TrainingCallback
    {
        public const long Count = 1 << 20; // large enough for libtorch to split the product over its threads

        public List<long> ZerosPerStep { get; } = [];

        public override void OnBatchEnd(TrainingContext context, int step, double loss)
        {
            using var scope = torch.NewDisposeScope();
            ZerosPerStep.Add(Count - torch.full(Count, 1e-20f).mul(1e-20f).count_nonzero().item<long>());
        }
    }
}

using DslNet.Tests.Training;
using Xunit;

namespace DslNet.Tests.Models;

/// <summary>The test models' view of the optimizer their base keeps between calls to Fit.</summary>
public partial class ParametricSwishNet
{
    internal DslNet.Training.Optimizer KeptOptimizer => TrainingOptimizer(null);
}

/// <summary>What <see cref="DslModule"/> adds to the generated models beyond what the loop does: the optimizer kept across Fit calls.</summary>
[Collection(TorchRandomCollection.Name)]
public class DslModuleTests
{
    [Fact]
    public void A_second_Fit_continues_the_optimizer_and_a_new_learning_rate_starts_a_fresh_one()
    {
        var (train, _) = SyntheticData.Blobs(classes: 2, features: 4, perClassTrain: 16, perClassValidation: 4);
        var options = new FitOptions { Epochs = 1, BatchSize = 8, Threads = 1, Progress = false };
        using var model = new ParametricSwishNet();

        model.Fit(train, null, options);
        var first = model.KeptOptimizer;
        Assert.Equal(4, first.Iterations);

        model.Fit(train, null, options);
        Assert.Same(first, model.KeptOptimizer);
        Assert.Equal(8, first.Iterations);

        model.Fit(train, null, options with { LearningRate = 0.05 });
        var fresh = model.KeptOptimizer;
        Assert.NotSame(first, fresh);
        Assert.Equal(4, fresh.Iterations);
        Assert.Equal(0.05, fresh.LearningRate);
    }

    [Fact]
    public void FindLearningRate_leaves_the_kept_optimizer_as_it_found_it()
    {
        var (train, _) = SyntheticData.Blobs(classes: 2, features: 4, perClassTrain: 16, perClassValidation: 4);
        using var model = new ParametricSwishNet();
        model.Fit(train, null, new FitOptions { Epochs = 1, BatchSize = 8, Threads = 1, Progress = false });
        var optimizer = model.KeptOptimizer;

        model.FindLearningRate(train, minRate: 1e-3, maxRate: 1);

        Assert.Same(optimizer, model.KeptOptimizer);
        Assert.Equal(4, optimizer.Iterations);
        Assert.Equal(0.1, optimizer.LearningRate);
    }
}

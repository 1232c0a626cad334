using DslNet.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DslNet.Tests.Training;

[Collection(TorchRandomCollection.Name)]
public sealed class LearningRateFinderTests
{
    private static readonly TrainingSettings Settings = new("TinyClassifier", 1, 16, Shuffle: true, Seed: 3) { Options = new FitOptions { Progress = false } };

    [Fact]
    public void RatesGrowGeometricallyFromMinToMax()
    {
        var (train, _) = SyntheticData.Blobs(perClassTrain: 16);
        using var model = new TinyClassifier(20, 16, 10);
        using var optimizer = new Sgd(model.parameters(), 0.01);

        var search = TrainingLoop.FindLearningRate(model, optimizer, train, 1e-4, 1, 2, Settings, stopOnDivergence: false);

        var iterations = 2 * 10;
        Assert.Equal(iterations, search.Rates.Count);
        Assert.Equal(iterations, search.Losses.Count);
        Assert.Equal(1e-4, search.Rates[0], 15);
        var factor = Math.Pow(1e4, 1.0 / iterations);
        for (var i = 1; i < iterations; i++)
        {
            Assert.Equal(factor, search.Rates[i] / search.Rates[i - 1], 12);
        }

        Assert.Equal(1, search.Rates[^1] * factor, 12);
        Assert.Equal(0.01, optimizer.LearningRate);
    }

    /// <summary>
    /// The suggestion is a tenth of the rate at the lowest point of the smoothed curve (fastai's bias-corrected moving average,
    /// β = 0.98), computed here independently on a curve whose raw minimum (a single low batch at rate 1e-1) is not the
    /// smoothed one; losses after the first non-finite one are ignored. (The search's own curve is the model's: a tenth of its
    /// lowest point is all the suggestion promises, so it is checked on a curve whose answer is known.)
    /// </summary>
    [Fact]
    public void The_suggestion_is_a_tenth_of_the_rate_at_the_smoothed_minimum()
    {
        var rates = Enumerable.Range(0, 60).Select(i => 1e-4 * Math.Pow(10, i / 15.0)).ToArray();
        var losses = rates.Select(r => 2 + Math.Pow(Math.Log10(r) + 2.5, 2)).ToArray(); // lowest near 10^-2.5
        losses[45] = 0.1; // one lucky batch at rate 10^-1
        losses[55] = double.NaN;
        losses[56] = -100; // after the NaN: ignored

        var search = new LearningRateSearch(rates, losses);

        double average = 0, best = double.PositiveInfinity, at = double.NaN;
        for (var i = 0; i < 55; i++)
        {
            average = (0.98 * average) + (0.02 * losses[i]);
            var smoothed = average / (1 - Math.Pow(0.98, i + 1));
            (best, at) = smoothed < best ? (smoothed, rates[i]) : (best, at);
        }

        Assert.Equal(at / 10, search.SuggestedRate);
        Assert.Equal(rates[33], at); // the smoothed curve lags the raw one (lowest at index 22, and the lucky batch at 45)
    }

    [Fact]
    public void WeightsAndOptimizerStateAreExactlyRestored()
    {
        var (train, _) = SyntheticData.Blobs(perClassTrain: 16);
        using var searched = new TinyClassifier(20, 16, 10, batchNorm: true, dropoutRate: 0.1);
        using var untouched = new TinyClassifier(20, 16, 10, batchNorm: true, dropoutRate: 0.1);
        using var searchedOptimizer = new Nadam(searched.parameters(), 0.01);
        using var untouchedOptimizer = new Nadam(untouched.parameters(), 0.01);
        // Some training first, so that moments, step counts and batch-norm statistics are not at their initial values.
        TrainingLoop.Fit(searched, train, null, Settings, searchedOptimizer, null, null);
        TrainingLoop.Fit(untouched, train, null, Settings, untouchedOptimizer, null, null);
        var before = State(searched);

        TrainingLoop.FindLearningRate(searched, searchedOptimizer, train, 1e-4, 10, 1, Settings);

        var after = State(searched);
        Assert.Equal(before.Keys, after.Keys);
        foreach (var (name, tensor) in before)
        {
            Assert.True(tensor.eq(after[name]).all().item<bool>(), $"{name} restored bitwise");
        }

        Assert.Equal(untouchedOptimizer.Iterations, searchedOptimizer.Iterations);
        Assert.Equal(0.01, searchedOptimizer.LearningRate);

        // One more epoch on both: bitwise the same result, so the optimizer's moments were restored too.
        TrainingLoop.Fit(searched, train, null, Settings, searchedOptimizer, null, null);
        TrainingLoop.Fit(untouched, train, null, Settings, untouchedOptimizer, null, null);
        var expected = State(untouched);
        foreach (var (name, tensor) in State(searched))
        {
            Assert.True(tensor.eq(expected[name]).all().item<bool>(), $"{name} after one more epoch");
        }
    }

    [Fact]
    public void DivergenceEndsTheSearchEarly()
    {
        var (train, _) = SyntheticData.Blobs(perClassTrain: 40);
        using var model = new TinyClassifier(20, 16, 10);
        using var optimizer = new Sgd(model.parameters(), 0.01);

        var search = TrainingLoop.FindLearningRate(model, optimizer, train, 1e-3, 1e6, 1, Settings);

        Assert.True(search.Rates.Count < 25, $"stopped after {search.Rates.Count} of 25 batches");
        Assert.True(search.Rates[^1] < 1e6);
    }

    [Fact]
    public void BadRangeIsOneClearError()
    {
        var (train, _) = SyntheticData.Blobs(perClassTrain: 2);
        using var model = new TinyClassifier(20, 4, 10);
        using var optimizer = new Sgd(model.parameters(), 0.01);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => TrainingLoop.FindLearningRate(model, optimizer, train, 1, 0.1, 1, Settings));
        Assert.Contains("maxRate", error.Message);
    }

    private static Dictionary<string, Tensor> State(nn.Module module) =>
        module.state_dict().ToDictionary(pair => pair.Key, pair => pair.Value.detach().clone());
}

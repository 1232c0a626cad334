using DslNet.Data;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DslNet.Tests.Data;

/// <summary>Per-feature standardization: hand-computed statistics, the constant-feature guard, and the result's moments.</summary>
public sealed class StandardizerTests
{
    [Fact]
    public void StatisticsOfATinyExampleAreThePopulationMeanAndStd()
    {
        // Three samples of one channel, 1×2 pixels: pixel 0 = 1, 2, 6 (mean 3, variance (4+1+9)/3); pixel 1 = 5, 5, 5 (constant).
        using var features = tensor(new float[] { 1, 5, 2, 5, 6, 5 }, [3, 1, 1, 2]);

        using var standardizer = Standardizer.Fit(features);

        Assert.Equal([1L, 1, 2], standardizer.Mean.shape);
        Assert.Equal([3f, 5f], standardizer.Mean.reshape(2).data<float>().ToArray());
        Assert.Equal(Math.Sqrt(14.0 / 3), standardizer.Std[0, 0, 0].item<float>(), 6);
        Assert.Equal(1e-7f, standardizer.Std[0, 0, 1].item<float>());

        using var transformed = standardizer.Transform(features);
        var expected = new[] { -2, 0, -1, 0, 3, 0 }.Select(d => (float)(d / Math.Sqrt(14.0 / 3))).ToArray();
        var actual = transformed.reshape(6).data<float>().ToArray();
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 5);
        }
    }

    [Fact]
    public void TransformedTrainingDataHasZeroMeanAndUnitStdPerFeature()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator().manual_seed(7);
        // More samples than one fitting chunk, with features of very different scales and offsets.
        var scales = linspace(1, 100, 3 * 4 * 4).reshape(3, 4, 4);
        var features = rand([9_000, 3, 4, 4], generator: generator).mul(scales).add(scales.mul(2));

        using var standardizer = Standardizer.Fit(features);
        var transformed = standardizer.Transform(features).to(ScalarType.Float64);

        Assert.True(transformed.mean([0]).abs().max().item<double>() < 1e-5);
        Assert.True(transformed.std([0], unbiased: false).sub(1).abs().max().item<double>() < 1e-5);
    }

    [Fact]
    public void FittingDoesNotChangeFloat64Input()
    {
        using var features = tensor(new double[] { 1, 2, 3, 4 }, [4, 1]);

        using var standardizer = Standardizer.Fit(features);

        Assert.Equal([1.0, 2, 3, 4], features.data<double>().ToArray());
        Assert.Equal(2.5f, standardizer.Mean.item<float>());
    }

    [Fact]
    public void DatasetTransformKeepsTheLabels()
    {
        using var features = tensor(new float[] { 0, 10, 20, 30 }, [2, 2]);
        using var labels = tensor(new long[] { 3, 8 });
        using var standardizer = Standardizer.Fit(features);

        var standardized = standardizer.Transform(new Dataset(features, labels));

        Assert.Same(labels, standardized.Labels);
        Assert.Equal([-1f, -1f, 1f, 1f], standardized.Features.reshape(4).data<float>().ToArray());
    }

    [Fact]
    public void FeaturesOfAnotherShapeAreAClearError()
    {
        using var standardizer = Standardizer.Fit(zeros(4, 3, 2, 2));
        using var wrong = zeros(4, 3, 4);

        var error = Assert.Throws<ArgumentException>(() => standardizer.Transform(wrong));

        Assert.Contains("[3, 2, 2]", error.Message);
        Assert.Contains("[4, 3, 4]", error.Message);
    }
}

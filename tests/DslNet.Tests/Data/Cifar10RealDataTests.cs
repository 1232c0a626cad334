using DslNet.Data;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DslNet.Tests.Data;

/// <summary>The real CIFAR-10, loaded once from <c>$DSLNET_DATA</c> (CI sets it; a missing variable fails every test here).</summary>
public sealed class RealCifar10 : IDisposable
{
    public RealCifar10()
    {
        var folder = Environment.GetEnvironmentVariable("DSLNET_DATA");
        if (string.IsNullOrWhiteSpace(folder))
        {
            throw new InvalidOperationException(
                "DSLNET_DATA is not set: these tests need the real CIFAR-10. Set DSLNET_DATA to the folder holding cifar-10-batches-bin/ " +
                "(in this repository's CI: ../shared/datasets).");
        }

        (Train, Valid, Test) = Cifar10.Load(folder, Cifar10Download.Disabled);
    }

    public Dataset Train { get; }

    public Dataset Valid { get; }

    public Dataset Test { get; }

    public void Dispose()
    {
        foreach (var data in new[] { Train, Valid, Test })
        {
            data.Features.Dispose();
            data.Labels.Dispose();
        }
    }
}

/// <summary>The book's split of the real data set and facts about it from the data set's own documentation.</summary>
public sealed class Cifar10RealDataTests(RealCifar10 cifar) : IClassFixture<RealCifar10>
{
    [Fact]
    public void SplitIsFortyFiveThousandFiveThousandTenThousand()
    {
        Assert.Equal([45_000L, 3, 32, 32], cifar.Train.Features.shape);
        Assert.Equal([5_000L, 3, 32, 32], cifar.Valid.Features.shape);
        Assert.Equal([10_000L, 3, 32, 32], cifar.Test.Features.shape);
        Assert.Equal(ScalarType.Float32, cifar.Train.Features.dtype);
        Assert.Equal(ScalarType.Int64, cifar.Test.Labels.dtype);
    }

    [Fact]
    public void FirstRecordOfDataBatch1IsAFrogWithItsKnownPixels()
    {
        Assert.Equal(6, cifar.Valid.Labels[0].item<long>());
        Assert.Equal("frog", Cifar10.ClassNames[6]);
        Assert.Equal([59f, 43f, 50f], cifar.Valid.Features[0, 0, 0, TensorIndex.Slice(0, 3)].data<float>().ToArray());
        Assert.Equal(62f, cifar.Valid.Features[0, 1, 0, 0].item<float>());
        Assert.Equal(63f, cifar.Valid.Features[0, 2, 0, 0].item<float>());
    }

    [Fact]
    public void TestSetHasAThousandImagesPerClass()
    {
        using var counts = cifar.Test.Labels.bincount(null, 10);
        Assert.Equal(Enumerable.Repeat(1_000L, 10), counts.data<long>().ToArray());
    }

    [Fact]
    public void DataBatch1HasItsDocumentedClassCounts()
    {
        // Valid is data_batch_1's first half and Train begins with its second half.
        using var batch1 = cat([cifar.Valid.Labels, cifar.Train.Labels[..5_000]], 0);
        using var counts = batch1.bincount(null, 10);
        Assert.Equal([1005L, 974, 1032, 1016, 999, 937, 1030, 1001, 1025, 981], counts.data<long>().ToArray());
    }

    [Fact]
    public void TrainingImagesHaveFiveThousandPerClassAndRawPixelValues()
    {
        using var labels = cat([cifar.Valid.Labels, cifar.Train.Labels], 0);
        using var counts = labels.bincount(null, 10);
        Assert.Equal(Enumerable.Repeat(5_000L, 10), counts.data<long>().ToArray());
        Assert.Equal(0f, cifar.Train.Features.min().item<float>());
        Assert.Equal(255f, cifar.Train.Features.max().item<float>());
    }

    [Fact]
    public void StandardizedTrainingSetHasZeroMeanAndUnitStdPerFeature()
    {
        using var scope = NewDisposeScope();
        using var standardizer = Standardizer.Fit(cifar.Train.Features);
        var standardized = standardizer.Transform(cifar.Train.Features);

        Assert.Equal([3L, 32, 32], standardizer.Mean.shape);
        Assert.True(standardized.mean([0], type: ScalarType.Float64).abs().max().item<double>() < 1e-4);
        Assert.True(standardized.to(ScalarType.Float64).std([0], unbiased: false).sub(1).abs().max().item<double>() < 1e-4);
    }
}

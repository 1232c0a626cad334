using DslNet.Tests.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DslNet.Tests.Validation;

/// <summary>
/// Keras' <c>sample_weight</c>: <c>new Dataset(features, labels, weights)</c> scales each sample's loss before the batch
/// mean (Σ wᵢ·lossᵢ / N), in Fit, val_loss and Evaluate, multiplied by FitOptions.ClassWeights as tf.keras multiplies them.
/// </summary>
[Collection(TorchRandomCollection.Name)]
public sealed class SampleWeightTests
{
    private static readonly FitOptions Quiet = new() { Progress = false };

    private static (Dataset Train, Dataset Validation) Classes() => SyntheticData.Blobs(classes: 3, features: 4, perClassTrain: 10, perClassValidation: 6);

    private static Tensor SomeWeights(int count) => torch.tensor(Enumerable.Range(0, count).Select(i => (float)(i % 4) * 0.5f).ToArray()); // 0, 0.5, 1, 1.5, …

    [Fact]
    public void EachSamplesLossIsScaledBeforeTheBatchMeanAsKerasDoes()
    {
        var (data, _) = Classes();
        var weights = SomeWeights(data.Count);
        using var reference = new ThreeClassNet();
        var perSample = nn.functional.cross_entropy(reference.Logits(data.Features), data.Labels, reduction: nn.Reduction.None).data<float>().ToArray();
        var w = weights.data<float>().ToArray();
        var expected = perSample.Select((loss, i) => loss * w[i]).Sum() / perSample.Length; // divided by N, not by Σ w

        using var model = new ThreeClassNet();
        // One batch of every sample, one epoch: the epoch's loss is the loss at the starting weights.
        var history = model.Fit(new Dataset(data.Features, data.Labels, weights), null, Quiet with { Epochs = 1, BatchSize = data.Count });

        Assert.Equal(expected, history.Rows[0].Loss, 5);
        Assert.Equal(perSample.Average(), Evaluate(new ThreeClassNet(), data).Loss, 5);
        Assert.Equal(expected, Evaluate(new ThreeClassNet(), new Dataset(data.Features, data.Labels, weights.unsqueeze(1).to_type(ScalarType.Float64))).Loss, 5);
    }

    [Fact]
    public void SampleAndClassWeightsMultiply()
    {
        var (data, _) = Classes();
        var weights = SomeWeights(data.Count);
        var classWeights = new Dictionary<int, double> { [0] = 3.0, [2] = 0.5 };
        using var reference = new ThreeClassNet();
        var perSample = nn.functional.cross_entropy(reference.Logits(data.Features), data.Labels, reduction: nn.Reduction.None).data<float>().ToArray();
        var w = weights.data<float>().ToArray();
        var labels = data.Labels.data<long>().ToArray();
        var expected = perSample.Select((loss, i) => loss * w[i] * classWeights.GetValueOrDefault((int)labels[i], 1.0)).Sum() / perSample.Length;

        using var model = new ThreeClassNet();
        var history = model.Fit(new Dataset(data.Features, data.Labels, weights), null, Quiet with { Epochs = 1, BatchSize = data.Count, ClassWeights = classWeights });

        Assert.Equal(expected, history.Rows[0].Loss, 5);
        Assert.Equal(1, history.Replicas);
    }

    [Fact]
    public void EvaluateAndValLossWeighTheLossAndLeaveAccuracyUnweighted()
    {
        var (train, validation) = Classes();
        var weights = SomeWeights(validation.Count);
        var weighted = new Dataset(validation.Features, validation.Labels, weights);
        using var model = new ThreeClassNet();

        var history = model.Fit(train, weighted, Quiet with { Epochs = 1 });

        var metrics = model.Evaluate(weighted);
        var plain = model.Evaluate(validation);
        var perSample = nn.functional.cross_entropy(model.Predict(validation.Features).log(), validation.Labels, reduction: nn.Reduction.None).data<float>().ToArray();
        var w = weights.data<float>().ToArray();
        Assert.Equal(perSample.Select((loss, i) => loss * w[i]).Sum() / perSample.Length, metrics.Loss, 4);
        Assert.NotEqual(plain.Loss, metrics.Loss, 4);
        Assert.Equal(plain.Accuracy, metrics.Accuracy);
        Assert.Equal(metrics.Loss, history.Rows[0].ValLoss, 6);
    }

    [Fact]
    public void AWeightOfZeroLeavesTheSampleOutThroughShufflingAndBatching()
    {
        var (train, _) = Classes();
        var notClassTwo = train.Labels.ne(2).to_type(ScalarType.Float32);
        using var weighted = new ThreeClassNet();
        using var unweighted = new ThreeClassNet();

        weighted.Fit(new Dataset(train.Features, train.Labels, notClassTwo), null, Quiet with { Epochs = 15, BatchSize = 4 });
        unweighted.Fit(train, null, Quiet with { Epochs = 15, BatchSize = 4 });

        var classTwo = train.Labels.eq(2).nonzero().reshape(-1);
        Assert.Equal(0, weighted.Predict(train.Features.index_select(0, classTwo)).argmax(1).eq(2).sum().item<long>());
        Assert.Equal(classTwo.shape[0], unweighted.Predict(train.Features.index_select(0, classTwo)).argmax(1).eq(2).sum().item<long>());
    }

    [Fact]
    public void SlicingSplittingAndClassSubsetsKeepTheWeightsAligned()
    {
        var (train, _) = Classes();
        var weights = torch.arange(train.Count, dtype: ScalarType.Float32);
        var data = new Dataset(train.Features, train.Labels, weights);

        Assert.Equal(new float[] { 5, 6, 7 }, data[5..8].Weights!.data<float>().ToArray());
        Assert.Equal(new float[] { 0, 1 }, data.Take(2).Weights!.data<float>().ToArray());
        var dogs = data.OfClasses(2);
        Assert.True(dogs.Weights!.eq(weights.index_select(0, train.Labels.eq(2).nonzero().reshape(-1))).all().item<bool>());

        History Run(Dataset t, Dataset? v, FitOptions options)
        {
            using var model = new ThreeClassNet();
            return model.Fit(t, v, options);
        }

        var split = Run(data, null, Quiet with { Epochs = 2, ValidationSplit = 0.2 });
        var explicitSets = Run(data[..24], data[24..], Quiet with { Epochs = 2 });
        Assert.Equal(explicitSets.Rows.Select(r => (r.Loss, r.ValLoss)), split.Rows.Select(r => (r.Loss, r.ValLoss)));
    }

    [Fact]
    public void BadWeightsAreOneErrorNamingTheModel()
    {
        var (train, validation) = Classes();
        using var model = new ThreeClassNet();
        string Refused(Tensor weights, bool asValidation = false) => Assert.ThrowsAny<ArgumentException>(() => asValidation
            ? model.Fit(train, new Dataset(validation.Features, validation.Labels, weights), Quiet)
            : model.Fit(new Dataset(train.Features, train.Labels, weights), null, Quiet)).Message;

        var negative = torch.ones(train.Count);
        negative[7] = torch.tensor(-0.5f);
        var nan = torch.ones(validation.Count);
        nan[3] = torch.tensor(float.NaN);

        Assert.StartsWith("ThreeClassNet: the training sample weights include -0.5 (the first negative one is sample 7), but a sample weight scales that sample's loss", Refused(negative));
        Assert.StartsWith("ThreeClassNet: the validation sample weights contain 1 NaN value in 1 of 18 samples (the first is sample 3).", Refused(nan, asValidation: true));
        Assert.StartsWith("ThreeClassNet: the training sample weights have shape [30, 2], but sample weights are one number per sample, of shape [30] or [30, 1].",
            Refused(torch.ones(train.Count, 2)));
        Assert.StartsWith("ThreeClassNet: the training sample weights are Bool", Refused(torch.ones(train.Count, dtype: ScalarType.Bool)));
        Assert.StartsWith("ThreeClassNet: the evaluation sample weights include -0.5",
            Assert.ThrowsAny<ArgumentException>(() => model.Evaluate(new Dataset(train.Features, train.Labels, negative))).Message);
        Assert.StartsWith("A dataset needs one sample weight per sample: features have shape [30, 4], sample weights [29].",
            Assert.Throws<ArgumentException>(() => new Dataset(train.Features, train.Labels, torch.ones(29))).Message);
    }

    private static Metrics Evaluate(ThreeClassNet model, Dataset data)
    {
        using (model)
        {
            return model.Evaluate(data);
        }
    }
}

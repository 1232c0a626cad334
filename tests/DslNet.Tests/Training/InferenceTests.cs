using DslNet.Training;
using TorchSharp;
using Xunit;

namespace DslNet.Tests.Training;

[Collection(TorchRandomCollection.Name)]
public sealed class InferenceTests
{
    private static readonly TrainingSettings Settings = new("TinyClassifier", 3, 16, Shuffle: true, Seed: 5) { Options = new FitOptions { Progress = false } };

    [Fact]
    public void MonteCarloKeepsDropoutOnAndBatchNormInInferenceMode()
    {
        var (train, validation) = SyntheticData.Blobs(perClassTrain: 20);
        using var model = new TinyClassifier(20, 64, 10, batchNorm: true, dropoutRate: 0.05);
        using var optimizer = new Adam(model.parameters(), 0.01);
        TrainingLoop.Fit(model, train, null, Settings, optimizer, null, null);
        var x = validation.Features;
        var runningMean = model.state_dict().Single(p => p.Key.EndsWith("running_mean")).Value.clone();

        var deterministic = TrainingLoop.Predict(model, x, 32);
        var first = TrainingLoop.PredictMonteCarlo(model, x, 1, 32, model.DropoutLayers);
        var second = TrainingLoop.PredictMonteCarlo(model, x, 1, 32, model.DropoutLayers);
        var mean = TrainingLoop.PredictMonteCarlo(model, x, 300, 32, model.DropoutLayers);

        Assert.False(first.eq(second).all().item<bool>(), "dropout is active: two samples differ");
        Assert.Equal(deterministic.shape, mean.shape);
        Assert.True(mean.sum(1).sub(1).abs().max().item<float>() < 1e-5, "the mean of probabilities is a distribution");
        var gap = mean.sub(deterministic).abs().max().item<float>();
        var sampleGap = first.sub(deterministic).abs().max().item<float>();
        Assert.True(gap < 0.05 && gap < sampleGap, $"mean of 300 samples within {gap} of the deterministic prediction (one sample: {sampleGap})");
        Assert.True(model.state_dict().Single(p => p.Key.EndsWith("running_mean")).Value.eq(runningMean).all().item<bool>(), "batch norm statistics untouched");
        Assert.True(TrainingLoop.Predict(model, x, 32).eq(deterministic).all().item<bool>(), "the model is back in inference mode afterwards");
        Assert.True(model.training, "the model's own mode is restored");
    }

    [Fact]
    public void PredictIsBatchedAndEqualsOneForwardPass()
    {
        var (_, validation) = SyntheticData.Blobs(perClassTrain: 2, perClassValidation: 7);
        using var model = new TinyClassifier(20, 8, 10, batchNorm: true);
        model.eval();
        using var whole = model.call(validation.Features);

        using var batched = TrainingLoop.Predict(model, validation.Features, 16);

        Assert.Equal(new long[] { 70, 10 }, batched.shape);
        Assert.True(batched.allclose(whole, rtol: 1e-5, atol: 1e-6));
        Assert.False(model.training);
    }

    [Fact]
    public void EvaluateAveragesOverSamplesNotBatches()
    {
        var (_, validation) = SyntheticData.Blobs(perClassTrain: 2, perClassValidation: 7);
        using var model = new TinyClassifier(20, 8, 10);
        model.eval();
        using var logits = model.Logits(validation.Features);
        var loss = model.DataLoss(logits, validation.Labels).item<float>();
        var accuracy = logits.argmax(1).eq(validation.Labels).to_type(torch.ScalarType.Float64).mean().item<double>();

        var metrics = TrainingLoop.Evaluate(model, validation, 16);

        Assert.Equal(loss, metrics.Loss, 5);
        Assert.Equal(accuracy, metrics.Accuracy, 12);
    }
}

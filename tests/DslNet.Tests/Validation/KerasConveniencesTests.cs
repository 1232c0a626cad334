using DslNet.Tests.Training;
using DslNet.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DslNet.Tests.Validation;

/// <summary>Regression and binary metrics against values computed here, ValidationSplit, ClassWeights, OnEpochEnd, Monte Carlo deviation.</summary>
[Collection(TorchRandomCollection.Name)]
public sealed class KerasConveniencesTests
{
    private static readonly FitOptions Quiet = new() { Progress = false };

    [Fact]
    public void BinaryMetricsOnAFixedExample()
    {
        // logits > 0 predict positive. Labels: 1 1 1 0 0 0 1 0.
        double[] scores = [2.0, 0.5, -1.0, 0.3, -0.2, -3.0, 0.5, 0.5];
        double[] labels = [1, 1, 1, 0, 0, 0, 1, 0];
        var (precision, recall, auc) = BinaryMetrics.Compute(scores, labels);
        // Predicted positive: 2.0(1) 0.5(1) 0.3(0) 0.5(1) 0.5(0) → TP 3 of 5; positives 4, of which 3 found.
        Assert.Equal(3 / 5.0, precision, 12);
        Assert.Equal(3 / 4.0, recall, 12);
        // Pairs (positive, negative) with the positive scoring higher, ties ½:
        // 2.0 beats all 4 → 4; 0.5 beats 0.3, -0.2, -3.0, ties 0.5 → 3.5; -1.0 beats -3.0 → 1; 0.5 → 3.5. Total 12 of 16.
        Assert.Equal(12 / 16.0, auc, 12);
        Assert.True(double.IsNaN(BinaryMetrics.Auc([1.0, 2.0], [1, 1])));
    }

    [Fact]
    public void EvaluateReportsPrecisionRecallAndAucForABinaryModel()
    {
        var (train, validation) = SyntheticData.Blobs(classes: 2, features: 4, perClassTrain: 20, perClassValidation: 30, noise: 3);
        var labels = validation.Labels.to_type(ScalarType.Float32);
        using var model = new BinaryNet();
        model.Fit(new Dataset(train.Features, train.Labels.to_type(ScalarType.Float32)), null, Quiet);
        var metrics = model.Evaluate(new Dataset(validation.Features, labels));
        var probabilities = model.Predict(validation.Features).reshape(-1).data<float>().Select(p => (double)p).ToArray();
        var y = labels.data<float>().Select(v => (double)v).ToArray();
        var predicted = probabilities.Select(p => p > 0.5).ToArray();
        var truePositives = predicted.Zip(y).Count(t => t.First && t.Second == 1);
        Assert.Equal(truePositives / (double)predicted.Count(p => p), metrics.Precision, 12);
        Assert.Equal(truePositives / (double)y.Count(v => v == 1), metrics.Recall, 12);
        var pairs = 0.0;
        var wins = 0.0;
        for (var i = 0; i < y.Length; i++)
        {
            for (var j = 0; j < y.Length; j++)
            {
                if (y[i] == 1 && y[j] == 0)
                {
                    pairs++;
                    wins += probabilities[i] > probabilities[j] ? 1 : probabilities[i] == probabilities[j] ? 0.5 : 0;
                }
            }
        }

        Assert.Equal(wins / pairs, metrics.Auc, 6);
        Assert.True(double.IsNaN(metrics.Rmse));
    }

    [Fact]
    public void RegressionModelsReportRmseAndMaeInEvaluateHistoryAndProgress()
    {
        var features = torch.tensor(new float[] { 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0 }).reshape(3, 4);
        var targets = torch.tensor(new float[] { 1, 2, 3, 4, 5, 6 }).reshape(3, 2);
        using var model = new RegressionNet();
        var outputs = model.Predict(features);
        var errors = outputs.to_type(ScalarType.Float64).sub(targets.to_type(ScalarType.Float64)).data<double>().ToArray();
        var metrics = model.Evaluate(new Dataset(features, targets));
        Assert.Equal(Math.Sqrt(errors.Select(e => e * e).Average()), metrics.Rmse, 6);
        Assert.Equal(errors.Select(Math.Abs).Average(), metrics.Mae, 6);
        Assert.Equal(errors.Select(e => e * e).Average(), metrics.Loss, 5);
        Assert.True(double.IsNaN(metrics.Precision));

        var output = new StringWriter();
        var history = model.Fit(new Dataset(features, targets), new Dataset(features, targets), new FitOptions { Output = output, Epochs = 1 });
        var row = history.Rows[0];
        Assert.False(double.IsNaN(row.Rmse) || double.IsNaN(row.Mae) || double.IsNaN(row.ValRmse) || double.IsNaN(row.ValMae));
        Assert.Equal(model.Evaluate(new Dataset(features, targets)).Rmse, row.ValRmse, 6);
        Assert.Contains(" - rmse: ", output.ToString());
        Assert.Contains(" - val_mae: ", output.ToString());

        var folder = Directory.CreateTempSubdirectory();
        try
        {
            var csv = Path.Combine(folder.FullName, "h.csv");
            history.SaveCsv(csv);
            Assert.StartsWith("epoch,loss,accuracy,val_loss,val_accuracy,lr,seconds,rmse,mae,val_rmse,val_mae\n", File.ReadAllText(csv));
            Assert.Equal(row, History.LoadCsv(csv).Rows[0]);
            history.SavePlot(Path.Combine(folder.FullName, "h.png"));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void ValidationSplitTakesTheLastFractionBeforeShufflingAsKeras()
    {
        var (data, _) = SyntheticData.Blobs(classes: 3, features: 4, perClassTrain: 17);
        // Keras: split_at = ceil(51 × 0.8) = 41 → train [0, 41), validation [41, 51).
        History Run(Dataset train, Dataset? validation, FitOptions options)
        {
            using var model = new ThreeClassNet();
            return model.Fit(train, validation, options);
        }

        var split = Run(data, null, Quiet with { ValidationSplit = 0.2 });
        var explicitSets = Run(data[..41], data[41..], Quiet);
        Assert.Equal(explicitSets.Rows.Select(r => (r.Loss, r.ValLoss, r.ValAccuracy)), split.Rows.Select(r => (r.Loss, r.ValLoss, r.ValAccuracy)));
        Assert.Contains("pass one or the other", Assert.Throws<ArgumentException>(() => Run(data, data, Quiet with { ValidationSplit = 0.2 })).Message);
        Assert.Contains("between 0 and 1", Assert.Throws<ArgumentOutOfRangeException>(() => Run(data, null, Quiet with { ValidationSplit = 1 })).Message);
    }

    [Fact]
    public void WithAValidationSplitStandardizeLearnsFromTheTrainingPartOnly()
    {
        var features = torch.randn([20, 2, 3], generator: new torch.Generator(5)).add_(torch.arange(20, dtype: ScalarType.Float32).reshape(20, 1, 1));
        var data = new Dataset(features, torch.arange(20, dtype: ScalarType.Int64).remainder(3));
        using var model = new StandardizedNet();
        model.Fit(data, null, Quiet with { Epochs = 1, ValidationSplit = 0.25 });
        // ceil(20 × 0.75) = 15 training samples.
        Assert.True(model.buffers().First().allclose(features.narrow(0, 0, 15).mean([0]), rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void ClassWeightsScaleEachSamplesLossAsKerasDoes()
    {
        var (data, _) = SyntheticData.Blobs(classes: 3, features: 4, perClassTrain: 10);
        var weights = new Dictionary<int, double> { [0] = 2.0, [2] = 0.25 };
        // One batch of every sample, one epoch: the epoch's loss is the loss at the starting weights.
        using var reference = new ThreeClassNet();
        var perSample = nn.functional.cross_entropy(reference.Logits(data.Features), data.Labels, reduction: nn.Reduction.None).data<float>().ToArray();
        var labels = data.Labels.data<long>().ToArray();
        var expected = perSample.Select((loss, i) => loss * weights.GetValueOrDefault((int)labels[i], 1.0)).Sum() / perSample.Length;

        using var model = new ThreeClassNet();
        var history = model.Fit(data, null, Quiet with { Epochs = 1, BatchSize = data.Count, ClassWeights = weights });
        Assert.Equal(expected, history.Rows[0].Loss, 5);

        using var unweighted = new ThreeClassNet();
        Assert.Equal(perSample.Average(), unweighted.Fit(data, null, Quiet with { Epochs = 1, BatchSize = data.Count }).Rows[0].Loss, 5);
        Assert.Contains("class 3", Assert.Throws<ArgumentException>(() => new ThreeClassNet().Fit(data, null, Quiet with { ClassWeights = new Dictionary<int, double> { [3] = 1 } })).Message);
    }

    [Fact]
    public void BinaryClassWeightsUseTheRoundedLabel()
    {
        var (data, _) = SyntheticData.Blobs(classes: 2, features: 4, perClassTrain: 10);
        var labels = data.Labels.to_type(ScalarType.Float32);
        using var reference = new BinaryNet();
        var perSample = nn.functional.binary_cross_entropy_with_logits(reference.Logits(data.Features).reshape(-1), labels, reduction: nn.Reduction.None).data<float>().ToArray();
        var y = labels.data<float>().ToArray();
        var expected = perSample.Select((loss, i) => loss * (y[i] == 1 ? 5.0 : 1.0)).Sum() / perSample.Length;
        using var model = new BinaryNet();
        var history = model.Fit(new Dataset(data.Features, labels), null, Quiet with { Epochs = 1, BatchSize = data.Count, ClassWeights = new Dictionary<int, double> { [1] = 5 } });
        Assert.Equal(expected, history.Rows[0].Loss, 5);
    }

    [Fact]
    public void TheEpochHookSeesEveryEpochAndCanStopTraining()
    {
        var (train, validation) = SyntheticData.Blobs(classes: 3, features: 4, perClassTrain: 10, perClassValidation: 4);
        using var model = new ThreeClassNet();
        var seen = new List<int>();
        var output = new StringWriter();
        var history = model.Fit(train, validation, new FitOptions { Epochs = 10, Output = output, OnEpochEnd = row => { seen.Add(row.Epoch); return row.Epoch == 3; } });
        Assert.Equal([1, 2, 3], seen);
        Assert.Equal(3, history.Rows.Count);
        Assert.Equal(3, history.StoppedEpoch);
        Assert.Equal("Training stopped after epoch 3: FitOptions.OnEpochEnd asked to stop.", history.StopReason);
        Assert.Contains(history.StopReason!, output.ToString());
    }

    /// <summary>
    /// Checked against an independent computation: the module's own forward, called five times with the dropout layers
    /// switched to training mode by hand (and everything else in inference mode), then torch's mean and population standard
    /// deviation of those outputs; nothing of DslNet's Monte Carlo code is used for the expected values.
    /// </summary>
    [Fact]
    public void MonteCarloDeviationIsTheStandardDeviationOfTheSamples()
    {
        var x = torch.randn(6, 4, generator: new torch.Generator(3));
        using var model = new RegressionNet();
        model.eval();
        var dropouts = model.modules().Where(m => m.GetType().Name.Contains("Dropout", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(dropouts);
        dropouts.ForEach(layer => layer.train());
        torch.manual_seed(11);
        var stacked = torch.stack(Enumerable.Range(0, 5).Select(_ => model.call(x).detach().to_type(ScalarType.Float64)).ToList());
        model.eval();

        torch.manual_seed(11);
        var (mean, deviation) = model.PredictMonteCarloWithDeviation(x, samples: 5);

        Assert.True(mean.allclose(stacked.mean([0]).to_type(ScalarType.Float32), rtol: 1e-5, atol: 1e-6));
        Assert.True(deviation.allclose(stacked.std(0, unbiased: false).to_type(ScalarType.Float32), rtol: 1e-4, atol: 1e-5));
        Assert.True(deviation.sum().ToDouble() > 0, "dropout makes the samples differ");
        torch.manual_seed(11);
        Assert.True(model.PredictMonteCarlo(x, samples: 5).allclose(mean, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void TheLearningRateFinderLabelsItsProgress()
    {
        var (train, _) = SyntheticData.Blobs(classes: 3, features: 4, perClassTrain: 10);
        using var model = new ThreeClassNet();
        var output = new StringWriter();
        var settings = new TrainingSettings("ThreeClassNet", 1, 16, true, 1) { Options = new FitOptions { Output = output } };
        using var optimizer = new Adam(model.parameters(), 1e-3);
        TrainingLoop.FindLearningRate(model, optimizer, train, 1e-4, 1, 1, settings);
        Assert.StartsWith("Learning-rate finder: epoch 1/1", output.ToString());
        Assert.DoesNotContain("Epoch 1/1", output.ToString());
    }
}

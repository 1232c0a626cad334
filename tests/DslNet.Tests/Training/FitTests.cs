using DslNet.Training;
using TorchSharp;
using Xunit;

namespace DslNet.Tests.Training;

[Collection(TorchRandomCollection.Name)]
public sealed class FitTests
{
    private static TrainingSettings Settings(int epochs, int batchSize = 32) =>
        new("TinyClassifier", epochs, batchSize, Shuffle: true, Seed: 42) { Options = new FitOptions { Progress = false } };

    [Fact]
    public void SeparableTenClassProblemReachesHighValidationAccuracy()
    {
        var (train, validation) = SyntheticData.Blobs();
        using var model = new TinyClassifier(20, 32, 10);
        using var optimizer = new Adam(model.parameters(), 0.01);

        var history = TrainingLoop.Fit(model, train, validation, Settings(15), optimizer, null, null);

        Assert.Equal(15, history.Rows.Count);
        Assert.True(history.Rows[^1].ValAccuracy >= 0.95, $"validation accuracy {history.Rows[^1].ValAccuracy}");
        Assert.True(history.Rows[^1].Loss < history.Rows[0].Loss, "the training loss falls");
        Assert.Null(history.StopReason);
        Assert.Equal(0, history.StoppedEpoch);
    }

    [Fact]
    public void SameSeedGivesTheSameRun()
    {
        var (train, validation) = SyntheticData.Blobs();
        double[] Run()
        {
            using var model = new TinyClassifier(20, 16, 10, dropoutRate: 0.2);
            using var optimizer = new Nadam(model.parameters(), 0.005);
            return TrainingLoop.Fit(model, train, validation, Settings(3), optimizer, null, null).Rows.Select(r => r.ValLoss).ToArray();
        }

        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void EarlyStoppingStopsAtBestPlusPatienceAndRestoresTheBestWeights()
    {
        // A high learning rate on few samples overfits quickly, so validation loss turns upward.
        var (train, validation) = SyntheticData.Blobs(perClassTrain: 6, perClassValidation: 30, noise: 1.5);
        using var model = new TinyClassifier(20, 64, 10);
        using var optimizer = new Adam(model.parameters(), 0.02);
        var stopping = new EarlyStopping(Monitored.ValLoss, patience: 3);

        var history = TrainingLoop.Fit(model, train, validation, Settings(60, batchSize: 16), optimizer, null, stopping);

        var best = history.Best;
        Assert.True(history.StoppedEpoch > 0, "training stopped early");
        Assert.Equal(best.Epoch + 3, history.StoppedEpoch);
        Assert.Equal(history.StoppedEpoch, history.Rows.Count);
        Assert.Equal(best.Epoch, history.BestEpoch);
        Assert.Contains("Early stopping", history.StopReason);
        var restored = TrainingLoop.Evaluate(model, validation, 16);
        Assert.Equal(best.ValLoss, restored.Loss, 1e-6);
        Assert.Equal(best.ValAccuracy, restored.Accuracy, 1e-9);
    }

    [Fact]
    public void NaNLossStopsWithAMessageAndKeepsTheBestWeights()
    {
        var (train, validation) = SyntheticData.Blobs(perClassTrain: 10, perClassValidation: 5);
        using var model = new TinyClassifier(20, 16, 10);
        using var optimizer = new Sgd(model.parameters(), 0.01);
        var schedule = new PoisonAfter(epochs: 2);
        var output = new StringWriter();

        var history = TrainingLoop.Fit(model, train, validation, Settings(10) with { Options = new FitOptions { Output = output } }, optimizer, schedule, null);

        Assert.Equal(3, history.StoppedEpoch);
        Assert.Equal(3, history.Rows.Count);
        Assert.True(double.IsNaN(history.Rows[^1].Loss) || double.IsInfinity(history.Rows[^1].Loss));
        Assert.Contains("stopped training: the loss became", history.StopReason);
        Assert.Contains(history.StopReason!, output.ToString());
        Assert.All(model.parameters(), p => Assert.False(p.isnan().any().item<bool>(), "weights stay finite"));
        var kept = TrainingLoop.Evaluate(model, validation, 32);
        Assert.Equal(history.Best.ValLoss, kept.Loss, 1e-6);
    }

    [Fact]
    public void MaxNormHoldsAfterEveryStep()
    {
        var (train, _) = SyntheticData.Blobs(perClassTrain: 10);
        using var model = new TinyClassifier(20, 16, 10, maxNorm: 0.5);
        using var optimizer = new Adam(model.parameters(), 0.05);
        var checker = new NormChecker(model);

        TrainingLoop.Fit(model, train, null, Settings(3, batchSize: 10), optimizer, checker, null);

        Assert.Equal((3 * 10) - 1 + 3, checker.Checks);
        Assert.True(checker.Largest <= 0.5, $"largest row norm {checker.Largest}");
    }

    [Fact]
    public void ProgressGoesToTheGivenWriterOneLinePerEpoch()
    {
        var (train, validation) = SyntheticData.Blobs(perClassTrain: 10, perClassValidation: 5);
        using var model = new TinyClassifier(20, 16, 10);
        using var optimizer = new Adam(model.parameters(), 0.01);
        var output = new StringWriter();

        TrainingLoop.Fit(model, train, validation, Settings(2) with { Options = new FitOptions { Output = output } }, optimizer, null, null);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.Equal("Epoch 1/2", lines[0].TrimEnd());
        Assert.Matches(@"^4/4 \[={30}\] - \d+s \d+(ms|us|s)/step - loss: \d\.\d{4} - accuracy: \d\.\d{4} - val_loss: \d\.\d{4} - val_accuracy: \d\.\d{4} - lr: 0\.0100", lines[1]);
        Assert.DoesNotContain('\r', output.ToString());
    }

    /// <summary>A schedule that sets an absurd rate from epoch <c>epochs + 1</c> on, so the loss overflows.</summary>
    private sealed class PoisonAfter(int epochs) : LearningRateSchedule
    {
        public override double RateForBatch(long iteration, int epoch, double currentRate) => epoch > epochs ? 1e30 : currentRate;
    }

    /// <summary>Checks the hidden layer's row norms before every batch but the first and after every epoch, i.e. after every step's constraints.</summary>
    private sealed class NormChecker(TinyClassifier model) : LearningRateSchedule
    {
        public int Checks { get; private set; }

        public double Largest { get; private set; }

        public override double RateForBatch(long iteration, int epoch, double currentRate)
        {
            if (iteration > 0)
            {
                Check();
            }

            return currentRate;
        }

        public override double RateAfterEpoch(int epoch, EpochRow row, double currentRate)
        {
            Check();
            return currentRate;
        }

        private void Check()
        {
            using var scope = torch.NewDisposeScope();
            Largest = Math.Max(Largest, model.Hidden.weight!.detach().square().sum(1).sqrt().max().item<float>());
            Checks++;
        }
    }
}

using DslNet.Tests.Validation;
using TorchSharp;
using Xunit;

namespace DslNet.Tests.Training;

/// <summary>
/// Your own callbacks (FitOptions.Callbacks), written as a user would on a declared model: every hook is called in order
/// and as often as Keras calls it, StopTraining ends the run after the epoch, a learning rate set before a step is the
/// one that step uses, and a callback's saved state survives a backup and resume.
/// </summary>
[Collection(TorchRandomCollection.Name)]
public sealed class CallbackTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("dslnet-callbacks-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Every_hook_is_called_in_order_with_the_run_s_position()
    {
        var (train, validation) = SyntheticData.Blobs(classes: 3, features: 4, perClassTrain: 16, perClassValidation: 4);
        var recorder = new Recorder();
        using var model = new ThreeClassNet();

        var history = model.Fit(train, validation, new FitOptions { Epochs = 3, BatchSize = 16, Progress = false, Callbacks = [recorder] });

        var steps = (48 + 15) / 16;
        var expected = new List<string> { "train begin" };
        for (var epoch = 1; epoch <= 3; epoch++)
        {
            expected.Add($"epoch {epoch} begin");
            for (var step = 1; step <= steps; step++)
            {
                expected.Add($"batch {epoch}.{step} begin");
                expected.Add($"batch {epoch}.{step} end, iteration {((epoch - 1) * steps) + step}");
            }

            expected.Add($"epoch {epoch} end, {epoch} rows");
        }

        expected.Add("train end, kept 3");
        Assert.Equal(expected, recorder.Calls);
        Assert.Equal(history.Rows, recorder.Rows);
    }

    [Fact]
    public void StopTraining_ends_the_run_after_the_epoch_with_the_first_reason()
    {
        var (train, validation) = SyntheticData.Blobs(classes: 3, features: 4, perClassTrain: 16, perClassValidation: 4);
        using var model = new ThreeClassNet();
        var output = new StringWriter();

        var history = model.Fit(train, validation, new FitOptions
        {
            Epochs = 10,
            Output = output,
            Callbacks = [new StopAfter(2, "first"), new StopAfter(2, "second")],
        });

        Assert.Equal(2, history.Rows.Count);
        Assert.Equal(2, history.StoppedEpoch);
        Assert.Equal("stopped by first after epoch 2", history.StopReason);
        Assert.Contains("stopped by first after epoch 2", output.ToString());
        Assert.DoesNotContain("second", output.ToString());
    }

    [Fact]
    public void A_learning_rate_set_before_a_step_is_the_rate_of_that_step()
    {
        var (train, validation) = SyntheticData.Blobs(classes: 3, features: 4, perClassTrain: 16, perClassValidation: 4);
        using var model = new ThreeClassNet();
        var before = SeededWeightsTestsHash(model);

        var history = model.Fit(train, validation, new FitOptions { Epochs = 2, Progress = false, Callbacks = [new ZeroRate()] });

        Assert.Equal(before, SeededWeightsTestsHash(model)); // Adam with a rate of 0 moves nothing
        Assert.All(history.Rows, row => Assert.Equal(0, row.LearningRate));
    }

    [Fact]
    public void A_callback_s_state_is_saved_with_the_backup_and_put_back_on_resume()
    {
        var (train, validation) = SyntheticData.Blobs(classes: 3, features: 4, perClassTrain: 16, perClassValidation: 4);
        var backup = Path.Combine(folder, "backup");
        var uninterrupted = new BatchCounter();
        using (var model = new ThreeClassNet())
        {
            model.Fit(train, validation, new FitOptions { Epochs = 4, Progress = false, Threads = 1, Callbacks = [uninterrupted] });
        }

        using (var model = new ThreeClassNet())
        {
            var killed = new BatchCounter();
            Assert.Throws<IOException>(() => model.Fit(train, validation, new FitOptions
            {
                Epochs = 4,
                Progress = false,
                Threads = 1,
                BackupDirectory = backup,
                Callbacks = [killed],
                OnEpochEnd = row => row.Epoch == 3 ? throw new IOException("killed (simulated)") : false,
            }));
        }

        var resumed = new BatchCounter();
        using (var model = new ThreeClassNet())
        {
            model.Fit(train, validation, new FitOptions { Epochs = 4, Progress = false, Threads = 1, BackupDirectory = backup, Callbacks = [resumed] });
        }

        Assert.Equal(uninterrupted.Batches, resumed.Batches);
        Assert.True(resumed.Restored, "the resumed run put the counter's state back");
    }

    private static string SeededWeightsTestsHash(torch.nn.Module model) => Models.SeededWeightsTests.StateHash(model);

    private sealed class Recorder : TrainingCallback
    {
        public List<string> Calls { get; } = [];

        public List<EpochRow> Rows { get; } = [];

        public override void OnTrainBegin(TrainingContext context) => Calls.Add("train begin");

        public override void OnEpochBegin(TrainingContext context, int epoch) => Calls.Add($"epoch {epoch} begin");

        public override void OnBatchBegin(TrainingContext context, int step) => Calls.Add($"batch {context.Epoch}.{step} begin");

        public override void OnBatchEnd(TrainingContext context, int step, double loss) =>
            Calls.Add($"batch {context.Epoch}.{step} end, iteration {context.Iteration}");

        public override void OnEpochEnd(TrainingContext context, EpochRow row)
        {
            Rows.Add(row);
            Calls.Add($"epoch {row.Epoch} end, {context.History.Rows.Count} rows");
        }

        public override void OnTrainEnd(TrainingContext context, History history) => Calls.Add($"train end, kept {history.KeptEpoch}");
    }

    private sealed class StopAfter(int epoch, string name) : TrainingCallback
    {
        public override void OnEpochEnd(TrainingContext context, EpochRow row)
        {
            if (row.Epoch == epoch)
            {
                context.StopTraining($"stopped by {name} after epoch {epoch}");
            }
        }
    }

    private sealed class ZeroRate : TrainingCallback
    {
        public override void OnBatchBegin(TrainingContext context, int step) => context.LearningRate = 0;
    }

    /// <summary>Counts the training steps of a run, across a resume.</summary>
    private sealed class BatchCounter : TrainingCallback
    {
        public double Batches { get; private set; }

        public bool Restored { get; private set; }

        public override void OnBatchEnd(TrainingContext context, int step, double loss) => Batches++;

        public override double[] SaveState() => [Batches];

        public override void RestoreState(double[] state) => (Batches, Restored) = (state[0], true);
    }
}

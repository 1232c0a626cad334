using Xunit;
using static TorchSharp.torch;

namespace DslNet.Tests.Training;

[Model(4)]
[Dense(3, Act = Act.Softmax)]
[Sgd(LearningRate = 0.5, UseEma = true, EmaMomentum = 0.8)]
[Train(BatchSize = 8, Shuffle = false)]
public partial class EmaNet;

/// <summary>
/// Keras 3's use_ema: the moving average of the weights after every step (m = 0 on the first one), validation with the
/// averages, the averages as the final weights, and a resumed run equal to an uninterrupted one.
/// </summary>
[Collection(TorchRandomCollection.Name)]
public sealed class EmaTests : IDisposable
{
    private const double Momentum = 0.8;
    private readonly string folder = Directory.CreateTempSubdirectory("dslnet-ema-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void The_final_weights_are_the_moving_average_of_the_weights_after_each_step()
    {
        var (train, _) = SyntheticData.Blobs(classes: 3, features: 4, perClassTrain: 8, perClassValidation: 2);
        using var model = new EmaNet();
        var recorder = new StepWeights(model);

        model.Fit(train, options: new FitOptions { Epochs = 2, Progress = false, Threads = 1, Callbacks = [recorder] });

        // The recurrence written out: a₁ = w₁, aₖ = m·aₖ₋₁ + (1 − m)·wₖ, over 2 epochs × 3 steps.
        Assert.Equal(6, recorder.Steps.Count);
        var expected = recorder.Steps[0].Select(w => w.clone()).ToArray();
        foreach (var step in recorder.Steps.Skip(1))
        {
            for (var i = 0; i < expected.Length; i++)
            {
                expected[i] = expected[i].mul(Momentum).add(step[i].mul(1 - Momentum));
            }
        }

        var final = model.parameters().ToArray();
        for (var i = 0; i < final.Length; i++)
        {
            Assert.True(final[i].allclose(expected[i], rtol: 1e-5, atol: 1e-6), $"parameter {i} is the moving average");
            Assert.False(final[i].allclose(recorder.Steps[^1][i], rtol: 1e-3, atol: 1e-4), $"parameter {i} is not the last trained weight");
        }
    }

    [Fact]
    public void Validation_uses_the_moving_average()
    {
        var (train, validation) = SyntheticData.Blobs(classes: 3, features: 4, perClassTrain: 8, perClassValidation: 4);
        using var model = new EmaNet();
        var recorder = new StepWeights(model);

        var history = model.Fit(train, validation, new FitOptions { Epochs = 1, Progress = false, Threads = 1, Callbacks = [recorder] });

        // After one epoch the model holds the averages that were validated; the trained weights give another loss.
        Assert.Equal(model.Evaluate(validation).Loss, history.Rows[0].ValLoss, 1e-6);
        using var trained = new EmaNet();
        using (no_grad())
        {
            foreach (var (target, value) in trained.parameters().Zip(recorder.Steps[^1]))
            {
                target.copy_(value);
            }
        }

        Assert.NotEqual(trained.Evaluate(validation).Loss, history.Rows[0].ValLoss, 1e-4);
    }

    [Fact]
    public void A_resumed_run_ends_with_the_averages_of_the_uninterrupted_run()
    {
        var (train, validation) = SyntheticData.Blobs(classes: 3, features: 4, perClassTrain: 8, perClassValidation: 4);
        var backup = Path.Combine(folder, "backup");
        FitOptions Options(Func<EpochRow, bool>? hook = null) => new()
        {
            Epochs = 4,
            Progress = false,
            Threads = 1,
            BackupDirectory = backup,
            OnEpochEnd = hook,
        };

        using var uninterrupted = new EmaNet();
        var expected = uninterrupted.Fit(train, validation, Options());
        using (var interrupted = new EmaNet())
        {
            Assert.Throws<IOException>(() => interrupted.Fit(train, validation, Options(row => row.Epoch == 2 ? throw new IOException("killed (simulated)") : false)));
        }

        using var resumed = new EmaNet();
        var history = resumed.Fit(train, validation, Options());

        Assert.Equal(expected.Rows.Select(r => r with { Seconds = 0 }), history.Rows.Select(r => r with { Seconds = 0 }));
        Assert.All(uninterrupted.parameters().Zip(resumed.parameters()), pair => Assert.True(pair.First.allclose(pair.Second, rtol: 0, atol: 0)));
    }

    /// <summary>The trained weights after each step (callbacks run after the moving average is updated, before any swap).</summary>
    private sealed class StepWeights(nn.Module model) : TrainingCallback
    {
        public List<Tensor[]> Steps { get; } = [];

        public override void OnBatchEnd(TrainingContext context, int step, double loss) =>
            Steps.Add([.. model.parameters().Select(p => p.detach().clone().DetachFromDisposeScope())]);
    }
}

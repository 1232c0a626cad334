using DslNet.Tests.ResumeChild;
using DslNet.Tests.Validation;
using DslNet.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DslNet.Tests.Training;

/// <summary>
/// What the thread calibration and the learning-rate finder do to a run: nothing. Both train real steps on the model and
/// put the whole training state back through one path (weights, buffers, optimizer, torch's generator and every
/// augmentation layer's own), so the augmented conv model's run with the automatic thread choice is bit-identical to a run
/// with the chosen count set (before the augmentation generators were part of that state, the calibration's steps drew a
/// timing-dependent number of flips and crops and the two runs differed).
/// </summary>
[Collection(TorchRandomCollection.Name)]
public sealed class DeterminismTests
{
    [Fact]
    public void An_augmented_run_with_the_automatic_thread_choice_equals_a_run_with_that_choice_set()
    {
        var (train, validation) = Images();
        ThreadCalibration.ForgetChoices();
        using var automatic = new AugmentedConvNet();
        var measured = automatic.Fit(train, validation, new FitOptions { Epochs = 2, Progress = false });
        using var fixedThreads = new AugmentedConvNet();
        var set = fixedThreads.Fit(train, validation, new FitOptions { Epochs = 2, Progress = false, Threads = measured.Threads });

        if (TrainingThreads.Available > 1)
        {
            Assert.True(measured.CalibrationSeconds > 0, "the first run measured its threads");
        }

        Assert.Equal(set.Rows.Select(r => r with { Seconds = 0 }), measured.Rows.Select(r => r with { Seconds = 0 }));
        Assert.Equal(Models.SeededWeightsTests.StateHash(fixedThreads), Models.SeededWeightsTests.StateHash(automatic));
    }

    [Fact]
    public void The_learning_rate_finder_puts_back_every_generator_and_buffer()
    {
        var (train, validation) = Images();
        using var searched = new AugmentedConvNet();
        var before = DslNet.Tests.Validation.InputValidationTests.SnapshotState(searched);
        searched.FindLearningRate(train, epochs: 1);
        InputValidationTests.AssertStateIs(searched, before);
        var afterSearch = searched.Fit(train, validation, new FitOptions { Epochs = 2, Progress = false, Threads = 1 });

        using var plain = new AugmentedConvNet();
        var history = plain.Fit(train, validation, new FitOptions { Epochs = 2, Progress = false, Threads = 1 });

        Assert.Equal(history.Rows.Select(r => r with { Seconds = 0 }), afterSearch.Rows.Select(r => r with { Seconds = 0 }));
        Assert.Equal(Models.SeededWeightsTests.StateHash(plain), Models.SeededWeightsTests.StateHash(searched));
    }

    private static (Dataset Train, Dataset Validation) Images()
    {
        using var generator = new torch.Generator(5);
        Dataset Set(int count)
        {
            var x = torch.randn([count, 3, 8, 8], generator: generator);
            return new Dataset(x, x.mean([1, 2]).argmax(1).remainder(4));
        }

        return (Set(256), Set(64));
    }
}

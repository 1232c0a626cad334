using DslNet.Training;
using DslNet.Training.Backup;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DslNet.Tests.Training;

/// <summary>
/// Training backups in process: a run interrupted by an error resumes to the uninterrupted result, and a backup that is
/// truncated, foreign, of other settings or of another thread count is one clear error that changes nothing.
/// </summary>
[Collection(TorchRandomCollection.Name)]
public sealed class BackupTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("dslnet-backup-").FullName;

    private string BackupFolder => Path.Combine(folder, "backup");

    private string BackupFile => Path.Combine(BackupFolder, TrainingBackup.FileName);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Theory]
    [InlineData(null)]
    [InlineData(7)]
    public void A_run_interrupted_by_an_error_resumes_to_the_uninterrupted_result(int? everySteps)
    {
        var (train, validation) = SyntheticData.Blobs(perClassTrain: 12, perClassValidation: 5);
        var (expected, expectedWeights) = Run(train, validation, Settings() with { Epochs = 5 }, interruptAtWrite: null);

        var error = Assert.Throws<IOException>(() => Run(train, validation, Settings(everySteps: everySteps) with { Epochs = 5 }, interruptAtWrite: 3));
        Assert.Contains("simulated", error.Message);
        Assert.True(File.Exists(BackupFile), "the interrupted run left its backup");
        var (resumed, resumedWeights) = Run(train, validation, Settings(everySteps: everySteps) with { Epochs = 5 }, interruptAtWrite: null);

        Assert.Equal(expected.Rows.Select(r => r with { Seconds = 0 }), resumed.Rows.Select(r => r with { Seconds = 0 }));
        Assert.Equal(expected.KeptEpoch, resumed.KeptEpoch);
        Assert.Equal(expectedWeights, resumedWeights);
        Assert.False(Directory.Exists(BackupFolder), "the backup is removed when Fit completes");
    }

    [Fact]
    public void A_run_with_sample_weights_resumes_to_the_uninterrupted_result_and_its_backup_is_keyed_by_the_weights()
    {
        var (train, validation) = SyntheticData.Blobs(perClassTrain: 12, perClassValidation: 5);
        var weights = torch.linspace(0.25, 2, train.Count);
        var weighted = new Dataset(train.Features, train.Labels, weights);
        var (expected, expectedWeights) = Run(weighted, validation, Settings() with { Epochs = 5 }, interruptAtWrite: null);
        var (unweighted, _) = Run(train, validation, Settings() with { Epochs = 5 }, interruptAtWrite: null);
        Assert.NotEqual(unweighted.Rows[0].Loss, expected.Rows[0].Loss);

        Assert.Throws<IOException>(() => Run(weighted, validation, Settings(everySteps: 7) with { Epochs = 5 }, interruptAtWrite: 3));
        var without = AssertRefused(train, validation, Settings(everySteps: 7) with { Epochs = 5 }, hidden: 16);
        var other = AssertRefused(new Dataset(train.Features, train.Labels, weights.flip(0)), validation, Settings(everySteps: 7) with { Epochs = 5 }, hidden: 16);
        var (resumed, resumedWeights) = Run(weighted, validation, Settings(everySteps: 7) with { Epochs = 5 }, interruptAtWrite: null);

        Assert.Contains("sample weights checksums", without.Message);
        Assert.Contains("sample weights checksums", other.Message);
        Assert.Equal(expected.Rows.Select(r => r with { Seconds = 0 }), resumed.Rows.Select(r => r with { Seconds = 0 }));
        Assert.Equal(expectedWeights, resumedWeights);
    }

    [Fact]
    public void A_generated_regression_model_resumes_mid_epoch_with_its_error_sums_and_decay_position()
    {
        using var generator = new torch.Generator(17);
        var features = torch.randn(200, 4, generator: generator);
        var targets = features.matmul(torch.randn(4, 2, generator: generator));
        var train = new Dataset(features, targets);
        FitOptions Options(Func<EpochRow, bool>? hook = null) => new()
        {
            Epochs = 4,
            Progress = false,
            Threads = 1,
            BackupDirectory = BackupFolder,
            BackupEverySteps = 5,
            ValidationSplit = 0.2,
            OnEpochEnd = hook,
        };

        using var uninterrupted = new DslNet.Tests.Validation.RegressionNet();
        var expected = uninterrupted.Fit(train, options: Options());
        using (var interrupted = new DslNet.Tests.Validation.RegressionNet())
        {
            Assert.Throws<IOException>(() => interrupted.Fit(train, options: Options(row => row.Epoch == 3 ? throw new IOException("killed (simulated)") : false)));
        }

        using var resumed = new DslNet.Tests.Validation.RegressionNet();
        var history = resumed.Fit(train, options: Options());

        Assert.All(history.Rows, row => Assert.True(double.IsFinite(row.Rmse) && double.IsFinite(row.ValMae)));
        Assert.Equal(expected.Rows.Select(r => r with { Seconds = 0 }), history.Rows.Select(r => r with { Seconds = 0 }));
        Assert.All(uninterrupted.parameters().Zip(resumed.parameters()), pair => Assert.True(pair.First.allclose(pair.Second, rtol: 0, atol: 0)));
    }

    [Fact]
    public void A_truncated_backup_is_a_clear_error_and_is_not_overwritten()
    {
        var (train, validation) = SyntheticData.Blobs(perClassTrain: 12, perClassValidation: 5);
        LeaveABackup(train, validation, Settings());
        var bytes = File.ReadAllBytes(BackupFile);
        File.WriteAllBytes(BackupFile, bytes[..(bytes.Length / 2)]);

        var error = AssertRefused(train, validation, Settings(), hidden: 16);

        Assert.Contains("truncated", error.Message);
        Assert.Contains(BackupFile, error.Message);
    }

    [Fact]
    public void A_damaged_backup_is_a_clear_error_and_is_not_overwritten()
    {
        var (train, validation) = SyntheticData.Blobs(perClassTrain: 12, perClassValidation: 5);
        LeaveABackup(train, validation, Settings());
        var bytes = File.ReadAllBytes(BackupFile);
        bytes[^10] ^= 0x55;
        File.WriteAllBytes(BackupFile, bytes);

        var error = AssertRefused(train, validation, Settings(), hidden: 16);

        Assert.Contains("checksum", error.Message);
    }

    [Fact]
    public void A_foreign_file_in_place_of_the_backup_is_a_clear_error_and_is_not_overwritten()
    {
        var (train, validation) = SyntheticData.Blobs(perClassTrain: 12, perClassValidation: 5);
        Directory.CreateDirectory(BackupFolder);
        File.WriteAllText(BackupFile, "not a backup at all");

        var error = AssertRefused(train, validation, Settings(), hidden: 16);

        Assert.Contains("is not a DslNet training backup", error.Message);
    }

    [Fact]
    public void A_backup_of_another_model_is_a_clear_error_and_is_not_overwritten()
    {
        var (train, validation) = SyntheticData.Blobs(perClassTrain: 12, perClassValidation: 5);
        LeaveABackup(train, validation, Settings());

        var error = AssertRefused(train, validation, Settings(), hidden: 8);

        Assert.Contains("it was made by model Tiny (architecture", error.Message);
        Assert.Contains("this is Tiny (architecture", error.Message);
    }

    [Fact]
    public void A_backup_made_with_other_settings_or_data_is_a_clear_error_and_is_not_overwritten()
    {
        var (train, validation) = SyntheticData.Blobs(perClassTrain: 12, perClassValidation: 5);
        LeaveABackup(train, validation, Settings());

        var settings = AssertRefused(train, validation, Settings() with { BatchSize = 8 }, hidden: 16);
        var (otherTrain, _) = SyntheticData.Blobs(perClassTrain: 12, perClassValidation: 5, seed: 99);
        var data = AssertRefused(otherTrain, validation, Settings(), hidden: 16);
        var threads = AssertRefused(train, validation, Settings(threads: 2), hidden: 16);

        Assert.Contains("its settings were [epochs 4; batch size 16;", settings.Message);
        Assert.Contains("this run's are [epochs 4; batch size 8;", settings.Message);
        Assert.Contains("its data was [training 120 samples", data.Message);
        Assert.Contains("on 1 threads, but FitOptions.Threads asks for 2", threads.Message);
        Assert.All(new[] { settings, data, threads }, error => Assert.StartsWith("Tiny cannot resume from its backup: '", error.Message));
    }

    /// <summary>
    /// The optimizer's buffers are laid out by the parameters it trains: a backup of a run that trained hidden2 must not
    /// resume a run that trains hidden1 instead, although both train the same number of values (before, it did).
    /// </summary>
    [Fact]
    public void A_backup_of_a_run_that_trained_other_layers_of_the_same_size_is_refused()
    {
        var (train, validation) = SyntheticData.Blobs(classes: 3, features: 8, perClassTrain: 20, perClassValidation: 5);
        FitOptions Options(Func<EpochRow, bool>? hook = null) => new() { Progress = false, Threads = 1, BackupDirectory = BackupFolder, OnEpochEnd = hook };
        using (var first = new TwinLayersNet())
        {
            Assert.Throws<IOException>(() => first.Fit(train, validation, Options(row => row.Epoch == 2 ? throw new IOException("killed (simulated)") : false)));
        }

        using var other = new TwinLayersNet();
        other.Unfreeze("hidden1");
        other.Freeze("hidden2");
        var before = DslNet.Tests.Validation.InputValidationTests.SnapshotState(other);

        var error = Assert.Throws<InvalidDataException>(() => other.Fit(train, validation, Options()));

        Assert.Contains("trains hidden1.weight, hidden1.bias, output.weight, output.bias", error.Message);
        Assert.Contains("trains hidden2.weight, hidden2.bias, output.weight, output.bias", error.Message);
        DslNet.Tests.Validation.InputValidationTests.AssertStateIs(other, before);
    }

    /// <summary>
    /// [Standardize] adapts after the backup is checked: a refused backup leaves the statistics as they were (before, they
    /// were already computed from the new data when the backup was refused with "nothing was changed").
    /// </summary>
    [Fact]
    public void A_refused_backup_leaves_the_standardization_statistics_as_they_were()
    {
        var good = new Dataset(torch.randn(40, 2, 3), torch.arange(40, dtype: ScalarType.Int64).remainder(3));
        var other = new Dataset(torch.randn(40, 2, 3).mul(4).add(2), torch.arange(40, dtype: ScalarType.Int64).remainder(3));
        FitOptions Options(Func<EpochRow, bool>? hook = null) => new() { Progress = false, Threads = 1, BackupDirectory = BackupFolder, OnEpochEnd = hook };
        using (var first = new DslNet.Tests.Validation.StandardizedNet())
        {
            Assert.Throws<IOException>(() => first.Fit(good, null, Options(row => row.Epoch == 2 ? throw new IOException("killed (simulated)") : false)));
        }

        using var model = new DslNet.Tests.Validation.StandardizedNet();
        model.Fit(good, null, new FitOptions { Epochs = 1, Progress = false });
        var before = DslNet.Tests.Validation.InputValidationTests.SnapshotState(model);

        var error = Assert.Throws<InvalidDataException>(() => model.Fit(other, null, Options()));

        Assert.Contains("its data was", error.Message);
        DslNet.Tests.Validation.InputValidationTests.AssertStateIs(model, before);
    }

    [Fact]
    public void BackupEverySteps_needs_a_folder_and_a_positive_count()
    {
        var (train, validation) = SyntheticData.Blobs(perClassTrain: 2, perClassValidation: 1);
        using var model = new TinyClassifier(20, 16, 10);
        using var optimizer = new Adam(model.parameters(), 0.01);

        Assert.Throws<ArgumentException>(() => TrainingLoop.Fit(model, train, validation, Settings() with { Options = new FitOptions { Progress = false, BackupEverySteps = 3 } }, optimizer, null, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => TrainingLoop.Fit(model, train, validation, Settings(everySteps: 0), optimizer, null, null));
    }

    private TrainingSettings Settings(int? everySteps = null, int threads = 1) => new("Tiny", 4, 16, true, 5)
    {
        Options = new FitOptions { Progress = false, BackupDirectory = BackupFolder, BackupEverySteps = everySteps, LogDirectory = Path.Combine(folder, "logs"), Threads = threads },
    };

    /// <summary>Runs Fit (a fresh model and optimizer, as a new process would); the weights-writer seam throws at its <paramref name="interruptAtWrite"/>th call.</summary>
    private static (History History, byte[] Weights) Run(Dataset train, Dataset validation, TrainingSettings settings, int? interruptAtWrite, int hidden = 16)
    {
        using var model = new TinyClassifier(20, hidden, 10, dropoutRate: 0.2, batchNorm: true);
        using var optimizer = new Nadam(model.parameters(), 0.01);
        var writes = 0;
        var history = TrainingLoop.Fit(model, train, validation, settings with
        {
            WeightsWriter = (module, path) =>
            {
                if (++writes == interruptAtWrite)
                {
                    throw new IOException("disk full (simulated)");
                }

                module.save(path);
            },
        }, optimizer, new ReduceOnPlateauSchedule(Monitored.ValLoss, patience: 1), new EarlyStopping(patience: 3));
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            model.save(writer);
        }

        return (history, stream.ToArray());
    }

    /// <summary>Starts a run that an error interrupts after its first epoch, so that its backup stays.</summary>
    private void LeaveABackup(Dataset train, Dataset validation, TrainingSettings settings)
    {
        Assert.Throws<IOException>(() => Run(train, validation, settings, interruptAtWrite: 2));
        Assert.True(File.Exists(BackupFile));
    }

    /// <summary>Fit must refuse the backup with one <see cref="InvalidDataException"/>, leaving it and the model's weights as they were.</summary>
    private InvalidDataException AssertRefused(Dataset train, Dataset validation, TrainingSettings settings, int hidden)
    {
        var before = File.ReadAllBytes(BackupFile);
        using var model = new TinyClassifier(20, hidden, 10, seed: 3, dropoutRate: 0.2, batchNorm: true);
        using var optimizer = new Nadam(model.parameters(), 0.01);
        using var weightsBefore = model.Hidden.weight!.detach().clone();

        var error = Assert.Throws<InvalidDataException>(() => TrainingLoop.Fit(model, train, validation, settings, optimizer, new ReduceOnPlateauSchedule(Monitored.ValLoss, patience: 1), new EarlyStopping(patience: 3)));

        Assert.Equal(before, File.ReadAllBytes(BackupFile));
        Assert.True(model.Hidden.weight!.allclose(weightsBefore, rtol: 0, atol: 0), "the model's weights are unchanged");
        Assert.Equal([TrainingBackup.FileName], Directory.GetFiles(BackupFolder).Select(Path.GetFileName));
        return error;
    }
}

/// <summary>Two hidden layers of the same size, the first frozen: freezing the other instead trains as many values.</summary>
[Model(8, Seed = 3)]
[Dense(8, Act = Act.ReLU, Trainable = false)]
[Dense(8, Act = Act.ReLU)]
[Dense(3, Act = Act.Softmax)]
[Adam(LearningRate = 1e-2)]
[Train(Epochs = 3, BatchSize = 16)]
public partial class TwinLayersNet;

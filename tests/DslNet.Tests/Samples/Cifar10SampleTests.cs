using System.Text.Json;
using DslNet.Samples.Cifar10;
using Xunit;

namespace DslNet.Tests.Samples;

/// <summary>The CIFAR-10 sample, through the same code path as `dotnet run --project samples/Cifar10 -- b`, on a real-data subset.</summary>
public class Cifar10SampleTests
{
    [Fact]
    public void Part_b_trains_one_short_epoch_on_real_data_and_writes_its_outputs()
    {
        Assert.False(string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DSLNET_DATA")),
            "Set DSLNET_DATA to the folder holding cifar-10-batches-bin/ (CI sets it to ../shared/datasets).");
        var folder = Directory.CreateTempSubdirectory("dslnet-cifar10-smoke-").FullName;
        try
        {
            var output = new StringWriter();
            var exercise = new Exercise(new ExerciseOptions { Part = "b", Epochs = 1, TrainSize = 1_000, OutputDir = folder, Progress = false, TensorBoardDir = Path.Combine(folder, "tensorboard") }, output);

            var result = exercise.RunPart("b");

            Assert.Equal("SwishNet", result.Model);
            Assert.Equal(1_000, result.TrainSize);
            Assert.Equal(1, result.StoppedEpoch);
            Assert.True(double.IsFinite(result.ValLoss) && result.ValLoss > 0, $"val_loss {result.ValLoss}");
            // The reported accuracy, counted again here from the saved model's outputs on the book's validation images (after
            // one short epoch part b is still near chance, so only an exact recount says the number is right).
            var (_, valid, _) = DslNet.Data.Cifar10.Load();
            using (var saved = SwishNet.Load(Path.Combine(folder, "b", "SwishNet.weights")))
            using (var predictions = saved.Predict(valid.Features))
            {
                var correct = predictions.argmax(1).eq(valid.Labels).sum().item<long>();
                Assert.Equal(5_000, valid.Count);
                Assert.Equal(correct / 5_000.0, result.ValAccuracy, 12);
            }

            var part = Path.Combine(folder, "b");
            Assert.True(File.Exists(Path.Combine(part, "SwishNet.history.csv")));
            Assert.True(new FileInfo(Path.Combine(part, "SwishNet.curves.png")).Length > 1_000);
            var line = JsonDocument.Parse(File.ReadAllText(Path.Combine(part, "result.json"))).RootElement;
            Assert.Equal(result.ValAccuracy, line.GetProperty("val_accuracy").GetDouble());
            Assert.Contains("part b: SwishNet", output.ToString());
            Assert.Single(Directory.GetFiles(Path.Combine(folder, "tensorboard", "b", "train"), "events.out.tfevents.*"));
            Assert.Single(Directory.GetFiles(Path.Combine(folder, "tensorboard", "b", "validation"), "events.out.tfevents.*"));

            // export loads what the part saved, trains nothing, and names the parts that saved nothing.
            var exported = new OnnxExport(new ExerciseOptions { Part = "export", OutputDir = folder }, output).Run();

            var b = Assert.Single(exported, r => r.OnnxFile is not null);
            Assert.Equal("b", b.Part);
            Assert.True(File.Exists(Path.Combine(part, "SwishNet.onnx")));
            Assert.Equal(result.ValAccuracy, b.DslNetAccuracy!.Value, 1e-9);
            Assert.Equal(b.DslNetAccuracy!.Value, b.OnnxAccuracy!.Value, 1e-3);
            // Raw pixels (0–255) through 20 unstandardized layers: float32 sums in another order differ by ~1e-4 at most here
            // (on random inputs ExportOnnxTests hold every model to 1e-5).
            Assert.True(b.MaxProbabilityDifference <= 1e-3, $"largest |Δp| {b.MaxProbabilityDifference}");
            Assert.Contains("part c (BatchNormNet): no saved weights", output.ToString());
            Assert.True(File.Exists(Path.Combine(folder, "export.json")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void The_resnet_part_reports_the_kept_models_accuracy_on_the_official_test_batch()
    {
        Assert.False(string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DSLNET_DATA")), "Set DSLNET_DATA (CI sets it to ../shared/datasets).");
        var folder = Directory.CreateTempSubdirectory("dslnet-cifar10-resnet-").FullName;
        try
        {
            var output = new StringWriter();
            var exercise = new Exercise(new ExerciseOptions { Part = "resnet", Epochs = 1, TrainSize = 1_024, OutputDir = folder, Progress = false, Threads = 2 }, output);

            var result = exercise.RunPart("resnet");

            Assert.Equal("FastNet", result.Model);
            Assert.NotNull(result.TestAccuracy);
            Assert.True(result.CommandSeconds >= result.TotalSeconds, $"command {result.CommandSeconds} s, training {result.TotalSeconds} s");
            // Counted again from the saved model on the 10,000 test images: the figure is the test set's, not validation's.
            var (_, _, test) = DslNet.Data.Cifar10.Load();
            using (var saved = FastNet.Load(Path.Combine(folder, "resnet", "FastNet.weights")))
            using (var predictions = saved.Predict(test.Features))
            {
                Assert.Equal(10_000, test.Count);
                Assert.Equal(predictions.argmax(1).eq(test.Labels).sum().item<long>() / 10_000.0, result.TestAccuracy!.Value, 12);
            }

            var line = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "resnet", "result.json"))).RootElement;
            Assert.Equal(result.TestAccuracy.Value, line.GetProperty("test_accuracy").GetDouble());
            Assert.Contains("official test batch", output.ToString());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Arguments_override_the_defaults()
    {
        var (options, error) = CommandLine.Parse(["f", "--data", "/d", "--epochs", "3", "--train-size", "100", "--threads", "2", "--quiet", "--rates", "1e-4,3e-4", "--tensorboard", "/tb", "--keep-subnormals"]);

        Assert.Null(error);
        Assert.Equal(new ExerciseOptions { Part = "f", DataDir = "/d", Epochs = 3, TrainSize = 100, Threads = 2, Progress = false, Rates = options!.Rates, TensorBoardDir = "/tb", KeepSubnormals = true }, options);
        Assert.Equal([1e-4, 3e-4], options.Rates);
    }

    [Fact]
    public void With_a_backup_folder_a_finished_part_leaves_no_backup()
    {
        var (parsed, error) = CommandLine.Parse(["b", "--backup", "/tmp/b"]);
        Assert.Null(error);
        Assert.Equal("/tmp/b", parsed!.BackupDir);
        var folder = Directory.CreateTempSubdirectory("dslnet-cifar10-backup-").FullName;
        try
        {
            var backup = Path.Combine(folder, "backup");
            var options = new ExerciseOptions { Part = "b", Epochs = 2, TrainSize = 500, OutputDir = Path.Combine(folder, "out"), Progress = false, BackupDir = backup };

            new Exercise(options, new StringWriter()).Run();

            Assert.True(File.Exists(Path.Combine(folder, "out", "b", "result.json")));
            Assert.False(Directory.Exists(backup), "a finished run removes its backup");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

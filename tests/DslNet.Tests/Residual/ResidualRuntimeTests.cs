using DslNet.Tests.Onnx;
using DslNet.Tests.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DslNet.Tests.Residual;

/// <summary>Generated residual networks at run time: their modules match the compile-time counts; they fit, save, load, resume, freeze and export to ONNX.</summary>
[Collection(TorchRandomCollection.Name)]
public sealed class ResidualRuntimeTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("dslnet-residual-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void The_modules_hold_the_parameters_the_summary_counts()
    {
        using var model = new SmallResNet();

        var learnable = model.parameters().Sum(parameter => parameter.numel());
        var statistics = model.named_buffers().Where(pair => pair.name.EndsWith("running_mean", StringComparison.Ordinal) || pair.name.EndsWith("running_var", StringComparison.Ordinal)).Sum(pair => pair.buffer.numel());

        Assert.Equal(SmallResNet.ParameterCount, learnable);
        Assert.Contains($"Non-trainable params: {statistics:N0}", SmallResNet.Summary);
        var keys = model.state_dict().Keys.ToList();
        Assert.Contains("residual2.projection.weight", keys);
        Assert.Contains("residual2.projectionNorm.bias", keys);
        Assert.DoesNotContain("residual2.projectionNorm.weight", keys); // BatchNormScale = false: no γ
        Assert.Contains("residual4.activation.weight", keys);            // the PReLU after the sum
    }

    [Fact]
    public void The_books_ResNet34_builds_with_Keras_counts_and_predicts()
    {
        using var scope = NewDisposeScope();
        using var model = new ResNet34();

        Assert.Equal(21_289_802L, model.parameters().Sum(parameter => parameter.numel()));
        var probabilities = model.Predict(rand(1, 3, 224, 224, generator: new Generator(5)) * 255);
        Assert.Equal(new long[] { 1, 10 }, probabilities.shape);
        Assert.Equal(1.0, probabilities.sum().item<float>(), 4);
    }

    [Fact]
    public void A_small_ResNet_fits_saves_loads_and_exports_what_it_predicts()
    {
        using var scope = NewDisposeScope();
        var (train, x) = Data();
        using var model = new SmallResNet();

        var history = model.Fit(train, options: new FitOptions { Progress = false, Threads = 1 });

        Assert.Equal(2, history.Rows.Count);
        Assert.All(history.Rows, row => Assert.True(double.IsFinite(row.Loss)));
        var path = Path.Combine(folder, "small.dslnet");
        model.Save(path);
        using var loaded = SmallResNet.Load(path);
        Assert.True(model.Predict(x).allclose(loaded.Predict(x), rtol: 0, atol: 0));
        var onnx = Path.Combine(folder, "small.onnx");
        model.ExportOnnx(onnx);
        OnnxRuntimeRunner.AssertClose(model.Predict(x), OnnxRuntimeRunner.Run(onnx, x), "trained SmallResNet");
    }

    [Fact]
    public void An_interrupted_fit_resumes_from_its_backup_to_the_uninterrupted_weights()
    {
        var (train, _) = Data();
        var options = new FitOptions { Epochs = 3, Progress = false, Threads = 1 };
        using var uninterrupted = new SmallResNet();
        uninterrupted.Fit(train, options: options);

        var backup = Path.Combine(folder, "backup");
        using (var interrupted = new SmallResNet())
        {
            Assert.Throws<IOException>(() => interrupted.Fit(train, options: options with
            {
                BackupDirectory = backup,
                OnEpochEnd = row => row.Epoch == 2 ? throw new IOException("simulated crash") : false,
            }));
        }

        Assert.True(Directory.Exists(backup), "the interrupted run left its backup");
        using var resumed = new SmallResNet();
        resumed.Fit(train, options: options with { BackupDirectory = backup });

        Assert.Equal(Weights(uninterrupted), Weights(resumed));
    }

    [Fact]
    public void A_frozen_unit_keeps_its_weights_and_statistics_and_thaws_by_name()
    {
        using var scope = NewDisposeScope();
        var (train, _) = Data();
        using var model = new FrozenUnitResNet();
        var before = Weights(model, "residual1.");

        model.Fit(train, options: new FitOptions { Progress = false, Threads = 1 });

        Assert.Equal(before, Weights(model, "residual1."));
        Assert.NotEqual(Weights(new FrozenUnitResNet(), "residual2."), Weights(model, "residual2."));
        model.Unfreeze("residual1");
        model.Fit(train, options: new FitOptions { Epochs = 1, Progress = false, Threads = 1 });
        Assert.NotEqual(before, Weights(model, "residual1."));
    }

    [Fact]
    public void Units_around_blocks_fit_save_load_and_keep_their_dropout_for_Monte_Carlo()
    {
        using var scope = NewDisposeScope();
        var (train, x) = Data();
        using var model = new BlockResNet();

        model.Fit(train, options: new FitOptions { Progress = false, Threads = 1 });

        var path = Path.Combine(folder, "blocks.dslnet");
        model.Save(path);
        using var loaded = BlockResNet.Load(path);
        Assert.True(model.Predict(x).allclose(loaded.Predict(x), rtol: 0, atol: 0));
        Assert.Contains("residual3.conv1.weight", model.state_dict().Keys);
        var (mean, deviation) = model.PredictMonteCarloWithDeviation(x, samples: 4);
        Assert.Equal(new long[] { 5, 3 }, mean.shape);
        Assert.True(deviation.max().item<float>() > 0, "dropout inside the unit stayed off");
        var onnx = Path.Combine(folder, "blocks.onnx");
        model.ExportOnnx(onnx);
        OnnxRuntimeRunner.AssertClose(model.Predict(x), OnnxRuntimeRunner.Run(onnx, x), "trained BlockResNet");
    }

    [Fact]
    public void FromPretrained_copies_whole_units_frozen_and_UnfreezeReused_thaws_them()
    {
        using var scope = NewDisposeScope();
        var (train, _) = Data();
        using var source = new SmallResNet();
        source.Fit(train, options: new FitOptions { Epochs = 1, Progress = false, Threads = 1 });
        var binary = new Dataset(train.Features, train.Labels.eq(1).to_type(ScalarType.Float32));

        using var model = ResNetTransfer.FromPretrained(source);

        var reused = Weights(source, "residual2.");
        Assert.Equal(reused, Weights(model, "residual2."));
        model.Fit(binary, options: new FitOptions { Progress = false, Threads = 1 });
        Assert.Equal(reused, Weights(model, "residual2."));
        Assert.Equal(Weights(source, "residual1."), Weights(model, "residual1."));
        model.UnfreezeReused();
        model.Fit(binary, options: new FitOptions { Progress = false, Threads = 1 });
        Assert.NotEqual(reused, Weights(model, "residual2."));
        Assert.Equal(reused, Weights(source, "residual2."));
    }

    [Fact]
    public void A_ResNet_asked_for_replicas_trains_on_one_because_of_its_batch_norms_and_validates_its_inputs()
    {
        using var scope = NewDisposeScope();
        var (train, _) = Data();
        using var model = new SmallResNet();

        var history = model.Fit(train, options: new FitOptions { Epochs = 1, Progress = false, Threads = 2, Replicas = 2 });

        // Data-parallel replicas apply only to models without batch norm (each replica would see other batch statistics).
        Assert.Equal(1, history.Replicas);
        Assert.True(double.IsFinite(history.Rows[0].Loss));
        var wrong = new Dataset(rand(4, 3, 10, 12), randint(0, 3, new long[] { 4 }));
        var error = Assert.ThrowsAny<ArgumentException>(() => model.Fit(wrong, options: new FitOptions { Progress = false }));
        Assert.Contains("SmallResNet", error.Message);
    }

    [Fact]
    public void Thread_calibration_leaves_no_trace_in_a_ResNet_and_its_units_batch_statistics()
    {
        var (train, _) = Data();
        using var calibrated = new SmallResNet();
        var history = calibrated.Fit(train, options: new FitOptions { Epochs = 1, Progress = false });

        Assert.True(history.CalibrationSeconds > 0 || Environment.ProcessorCount == 1, "no calibration ran");
        using var fixedThreads = new SmallResNet();
        fixedThreads.Fit(train, options: new FitOptions { Epochs = 1, Progress = false, Threads = history.Threads });

        Assert.Equal(Weights(fixedThreads), Weights(calibrated));
    }

    private static (Dataset Train, Tensor Probe) Data()
    {
        var generator = new Generator(11);
        var features = rand(new long[] { 24, 3, 12, 12 }, generator: generator);
        var labels = randint(0, 3, new long[] { 24 }, generator: generator);
        return (new Dataset(features, labels), features.narrow(0, 0, 5));
    }

    private static Dictionary<string, float[]> Weights(nn.Module module, string prefix = "") => module.state_dict()
        .Where(pair => pair.Key.StartsWith(prefix, StringComparison.Ordinal) && pair.Value.is_floating_point())
        .ToDictionary(pair => pair.Key, pair => pair.Value.data<float>().ToArray());
}

using TorchSharp;
using Xunit;
using static DslNet.Tests.Onnx.OnnxRuntimeRunner;
using static TorchSharp.torch;
using Cifar = DslNet.Samples.Cifar10;

namespace DslNet.Tests.Onnx;

/// <summary>
/// The generated <c>ExportOnnx</c> of every model kind, run by the real ONNX Runtime: its output equals <c>Predict</c>'s
/// within 1e-5 (absolute) at batch sizes 1 and 17, with random weights, moving statistics and standardization statistics.
/// Inputs are on the scale each model is meant to see (standardized for the parts that do not standardize themselves), so
/// that no output saturates: a one-hot softmax would hide every difference but the argmax, and the test asserts that the
/// outputs are spread out before it compares them.
/// </summary>
public class ExportOnnxTests
{
    public static TheoryData<string, int> ModelCases()
    {
        var data = new TheoryData<string, int>();
        foreach (var name in Factories.Keys)
        {
            data.Add(name, 1);
            data.Add(name, 17);
        }

        return data;
    }

    // Each model with the centre and scale of its inputs: raw pixels (0–255) for the parts with [Standardize] (d, e, f, cnn),
    // standardized values for parts b and c, which train on raw pixels but saturate on them with random weights.
    internal static readonly Dictionary<string, (Func<nn.Module<Tensor, Tensor>> Create, long[] Shape, double Centre, double Scale)> Factories = new()
    {
        ["Cifar10.SwishNet (part b)"] = (() => new Cifar.SwishNet(), Cifar.SwishNet.SampleShape.ToArray(), 0, 1),
        ["Cifar10.BatchNormNet (part c)"] = (() => new Cifar.BatchNormNet(), Cifar.BatchNormNet.SampleShape.ToArray(), 0, 1),
        ["Cifar10.SeluNet (part d)"] = (() => new Cifar.SeluNet(), Cifar.SeluNet.SampleShape.ToArray(), 127.5, 127.5),
        ["Cifar10.AlphaDropoutNet (part e)"] = (() => new Cifar.AlphaDropoutNet(), Cifar.AlphaDropoutNet.SampleShape.ToArray(), 127.5, 127.5),
        ["Cifar10.OneCycleNet (part f)"] = (() => new Cifar.OneCycleNet(), Cifar.OneCycleNet.SampleShape.ToArray(), 127.5, 127.5),
        ["Cifar10.ConvNet (cnn)"] = (() => new Cifar.ConvNet(), Cifar.ConvNet.SampleShape.ToArray(), 127.5, 127.5),
        [nameof(ConvolutionNet)] = (() => new ConvolutionNet(), ConvolutionNet.SampleShape.ToArray(), 10, 3),
        ["Residual.BlockResNet"] = (() => new DslNet.Tests.Residual.BlockResNet(), DslNet.Tests.Residual.BlockResNet.SampleShape.ToArray(), 0, 1),
        ["Residual.SmallResNet"] = (() => new DslNet.Tests.Residual.SmallResNet(), DslNet.Tests.Residual.SmallResNet.SampleShape.ToArray(), 0, 0.2),
        [nameof(SymmetricResizeNet)] = (() => new SymmetricResizeNet(), SymmetricResizeNet.SampleShape.ToArray(), 0, 0.3),
        ["Convolution.StandardizedWhitenNet"] = (() => new DslNet.Tests.Convolution.StandardizedWhitenNet(), DslNet.Tests.Convolution.StandardizedWhitenNet.SampleShape.ToArray(), 40, 2),
        [nameof(EveryActivationNet)] = (() => new EveryActivationNet(), EveryActivationNet.SampleShape.ToArray(), 20, 5),
        [nameof(StandaloneActivationNet)] = (() => new StandaloneActivationNet(), StandaloneActivationNet.SampleShape.ToArray(), 0, 1),
        [nameof(LinearOutputNet)] = (() => new LinearOutputNet(), LinearOutputNet.SampleShape.ToArray(), 0, 1),
        [nameof(SoftmaxActivationNet)] = (() => new SoftmaxActivationNet(), SoftmaxActivationNet.SampleShape.ToArray(), 0, 1),
        ["Models.SmallSeluNet"] = (() => new DslNet.Tests.Models.SmallSeluNet(), DslNet.Tests.Models.SmallSeluNet.SampleShape.ToArray(), 3, 2),
        ["Models.ParametricSwishNet"] = (() => new DslNet.Tests.Models.ParametricSwishNet(), DslNet.Tests.Models.ParametricSwishNet.SampleShape.ToArray(), 0, 1),
        ["Models.WideNet"] = (() => new DslNet.Tests.Models.WideNet(), DslNet.Tests.Models.WideNet.SampleShape.ToArray(), 0, 1),
    };

    [Theory]
    [MemberData(nameof(ModelCases))]
    public void Onnx_Runtime_gives_what_Predict_gives(string name, int batch)
    {
        using var scope = NewDisposeScope();
        var (create, sampleShape, centre, scale) = Factories[name];
        using var module = create();
        var model = (IModel)module;
        var generator = new Generator(17);
        Randomize(module, centre, scale, generator);
        var x = (randn([batch, .. sampleShape], generator: generator) * scale) + centre;
        var path = Path.Combine(Path.GetTempPath(), $"dslnet-{Guid.NewGuid():N}.onnx");
        try
        {
            model.ExportOnnx(path);

            var expected = model.Predict(x);
            var actual = Run(path, x);
            AssertSpread(expected, name);
            AssertClose(expected, actual, name);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Export_of_a_trained_model_keeps_the_trained_weights_and_statistics()
    {
        using var scope = NewDisposeScope();
        using var model = new EveryActivationNet();
        var generator = new Generator(3);
        var features = (randn([64, 2, 3, 4], generator: generator) * 5) + 20;
        var labels = randint(0, 5, [64], generator: generator);
        model.Fit(new Dataset(features, labels), options: new FitOptions { Epochs = 2, BatchSize = 16, Progress = false });
        var path = Path.Combine(Path.GetTempPath(), $"dslnet-{Guid.NewGuid():N}.onnx");
        try
        {
            model.ExportOnnx(path);

            AssertClose(model.Predict(features), Run(path, features), "trained EveryActivationNet");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Export_replaces_an_existing_file_and_leaves_no_temporary_file()
    {
        using var scope = NewDisposeScope();
        using var model = new SoftmaxActivationNet();
        var folder = Directory.CreateTempSubdirectory("dslnet-export-");
        try
        {
            var path = Path.Combine(folder.FullName, "model.onnx");
            File.WriteAllText(path, "an older export");

            model.ExportOnnx(path);

            Assert.Equal(["model.onnx"], folder.GetFiles().Select(file => file.Name));
            var x = randn(3, 4);
            AssertClose(model.Predict(x), Run(path, x), "re-exported");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_failed_export_leaves_the_old_file_untouched()
    {
        using var scope = NewDisposeScope();
        using var model = new SoftmaxActivationNet();
        var folder = Directory.CreateTempSubdirectory("dslnet-export-");
        try
        {
            var path = Path.Combine(folder.FullName, "model.onnx");
            File.WriteAllText(path, "an older export");
            // A folder where the temporary file would be renamed makes the final move fail after the bytes were written.
            var blocked = Path.Combine(folder.FullName, "blocked.onnx");
            Directory.CreateDirectory(blocked);

            Assert.ThrowsAny<IOException>(() => model.ExportOnnx(blocked));

            Assert.Equal("an older export", File.ReadAllText(path));
            Assert.Equal(["model.onnx"], folder.GetFiles().Select(file => file.Name));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The outputs carry information beyond their argmax: probabilities whose largest is below 0.99 on average (not one-hot),
    /// and, over a batch, outputs that differ between samples.
    /// </summary>
    private static void AssertSpread(Tensor outputs, string what)
    {
        var probabilities = outputs.dim() == 2 && outputs.shape[1] > 1 && outputs.sum(1).sub(1).abs().max().item<float>() < 1e-4;
        if (probabilities)
        {
            var largest = outputs.max(1).values.mean().item<float>();
            Assert.True(largest < 0.99, $"{what}: the largest probability is {largest:G4} on average: saturated outputs test only the argmax.");
        }

        if (outputs.shape[0] > 1)
        {
            var spread = outputs.std(0).mean().item<float>();
            Assert.True(spread > 1e-3, $"{what}: the outputs hardly differ between samples (mean standard deviation {spread:G3}).");
        }
    }

    /// <summary>Moving statistics, standardization statistics, whitening filters, slopes, β, biases, scales and weight matrices all away from their initial values.</summary>
    internal static void Randomize(nn.Module<Tensor, Tensor> model, double centre, double scale, Generator generator)
    {
        using var noGrad = no_grad();
        foreach (var (name, buffer) in model.named_buffers())
        {
            if (name.EndsWith("running_mean", StringComparison.Ordinal))
            {
                buffer.copy_(randn(buffer.shape, generator: generator) * 0.3);
            }
            else if (name.EndsWith("running_var", StringComparison.Ordinal))
            {
                buffer.copy_(rand(buffer.shape, generator: generator) + 0.5);
            }
            else if (name.EndsWith(".mean", StringComparison.Ordinal))
            {
                buffer.copy_((randn(buffer.shape, generator: generator) * 0.1 * scale) + centre);
            }
            else if (name.EndsWith(".std", StringComparison.Ordinal))
            {
                buffer.copy_(scale * (rand(buffer.shape, generator: generator) + 0.5));
            }
            else if (name.EndsWith(".weight", StringComparison.Ordinal))
            {
                buffer.copy_(randn(buffer.shape, generator: generator) * 0.3); // [Whiten]'s filters, a buffer
            }
        }

        foreach (var (_, parameter) in model.named_parameters())
        {
            if (parameter.dim() == 1)
            {
                parameter.add_(randn(parameter.shape, generator: generator) * 0.1);
            }
            else
            {
                // Each weight scaled by its own factor around 1: the initializer's scale is kept, its draws are not.
                parameter.mul_((randn(parameter.shape, generator: generator) * 0.3) + 1);
            }
        }
    }
}

using System.Reflection;
using DslNet.Data;
using DslNet.Onnx.Protos;
using DslNet.Samples.Cifar10;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace DslNet.Tests.Weights;

/// <summary>The package's ImageNet ResNet-18 body with a 512-unit linear head, set to the identity in the test: its outputs are the body's features.</summary>
[Model(3, 224, 224)]
[Conv2D(64, 7, Stride = 2, Padding = Padding.Symmetric, UseBias = false, BatchNorm = true, Act = Act.ReLU, BatchNormEpsilon = 1e-5)]
[MaxPool(3, Stride = 2, Padding = Padding.Symmetric)]
[Residual(64, Repeat = 2, Padding = Padding.Symmetric, BatchNormEpsilon = 1e-5)]
[Residual(128, Stride = 2, Repeat = 2, Padding = Padding.Symmetric, BatchNormEpsilon = 1e-5)]
[Residual(256, Stride = 2, Repeat = 2, Padding = Padding.Symmetric, BatchNormEpsilon = 1e-5)]
[Residual(512, Stride = 2, Repeat = 3, Padding = Padding.Symmetric, BatchNormEpsilon = 1e-5)]
[GlobalAvgPool]
[Dense(512)]
public partial class ResNet18Features;

/// <summary>
/// ImportWeights of the real ImageNet ResNet-18 (NuGet's Microsoft.ML.DnnImageFeaturizer.ResNet18, CNTK's ONNX with each
/// downsampling unit's shortcut listed first) gives ONNX Runtime's features for real CIFAR-10 images resized to 224 and
/// preprocessed as the package does. Three images: about 11 GFLOPs in all, a few seconds on two cores.
/// </summary>
public sealed class ImageNetResNet18Tests(ITestOutputHelper output)
{
    [Fact]
    public void The_imported_body_gives_ONNX_Runtimes_features_on_real_CIFAR_images()
    {
        using var scope = NewDisposeScope();
        var folder = Environment.GetEnvironmentVariable("DSLNET_DATA");
        Assert.False(string.IsNullOrWhiteSpace(folder), "Set DSLNET_DATA to the folder holding cifar-10-batches-bin/ (CI: ../shared/datasets).");
        var (_, valid, _) = Cifar10.Load(folder, Cifar10Download.Disabled);
        var images = valid.Features[..3].to(ScalarType.Float32);                       // RGB, 0–255, [3, 3, 32, 32]
        var resized = nn.functional.interpolate(images, [224, 224], mode: InterpolationMode.Bilinear, align_corners: false);

        // The package's own preprocessing graph, run by ONNX Runtime, and the same done by hand (BGR, minus its mean image).
        var preprocessed = RunEach(ImageNetResNet18Package.PreprocessFile, resized);
        var byHand = resized.flip(1) - MeanImage();
        Assert.True((preprocessed - byHand).abs().max().item<float>() < 1e-3, "RGB → BGR minus the mean image is not what ResNetPreprocess.onnx does.");

        var expected = RunEach(ImageNetResNet18Package.OnnxFile, preprocessed).reshape(3, 512);

        var rows = ResNet18Features.Summary.Split('\n').SkipWhile(l => !l.StartsWith("====", StringComparison.Ordinal)).Skip(1).ToList();
        Assert.StartsWith(" globalAvgPool ", rows[ImageNetResNet18.BodyRows - 1], StringComparison.Ordinal);

        using var model = new ResNet18Features();
        model.ImportWeights(ImageNetResNet18Package.OnnxFile, layers: ImageNetResNet18.BodyRows);
        using (no_grad())
        {
            var head = model.state_dict();
            head["output.weight"].copy_(eye(512));
            head["output.bias"].zero_();
        }

        model.eval();
        Tensor actual;
        using (no_grad())
        {
            actual = model.Logits(preprocessed);
        }

        var scale = expected.abs().max().item<float>();
        var largest = (actual - expected).abs().max().item<float>();
        output.WriteLine($"features' scale {scale:G4}, largest difference {largest:G3} ({largest / scale:G3} of the scale)");
        Assert.True(scale > 0.1, $"the features are all near zero ({scale}): the comparison would prove nothing");
        Assert.True(largest <= 1e-4 * scale, $"the imported body differs from ONNX Runtime by {largest:G3}, more than 1e-4 of the features' scale {scale:G3}");
    }

    /// <summary>The package's mean image, read from ResNetPreprocess.onnx: its initializer of shape [1, 3, 224, 224].</summary>
    private static Tensor MeanImage()
    {
        using var stream = File.OpenRead(ImageNetResNet18Package.PreprocessFile);
        var mean = ModelProto.Parser.ParseFrom(stream).Graph.Initializer.Single(i => i.Dims.Count == 4 && i.Dims[1] == 3 && i.Dims[2] == 224);
        var values = mean.RawData.Length > 0
            ? System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(mean.RawData.Span).ToArray()
            : mean.FloatData.ToArray();
        return tensor(values, mean.Dims.ToArray());
    }

    /// <summary>Runs a one-input, one-output ONNX file on each image (the package's graphs take a batch of one).</summary>
    private static Tensor RunEach(string path, Tensor images)
    {
        using var session = new InferenceSession(path);
        var input = session.InputNames.Single();
        var outputName = session.OutputNames.Single();
        var results = new List<Tensor>();
        for (var i = 0; i < images.shape[0]; i++)
        {
            using var one = images[i..(i + 1)].contiguous();
            var data = one.data<float>().ToArray();
            using var value = OrtValue.CreateTensorValueFromMemory(data, one.shape);
            using var runOptions = new RunOptions();
            using var outputs = session.Run(runOptions, [input], [value], [outputName]);
            results.Add(tensor(outputs[0].GetTensorDataAsSpan<float>().ToArray(), outputs[0].GetTensorTypeAndShape().Shape));
        }

        return cat(results, 0);
    }
}

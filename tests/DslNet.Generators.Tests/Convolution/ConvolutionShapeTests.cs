using DslNet.Generators.Emitting;
using DslNet.Generators.Parsing;
using DslNet.Generators.Tests.Infrastructure;
using Xunit;

namespace DslNet.Generators.Tests.Convolution;

/// <summary>Compile-time shapes and parameter counts of conv nets against Keras' arithmetic, computed by hand.</summary>
public sealed class ConvolutionShapeTests
{
    [Theory]
    // size, kernel, stride, dilation, same padding → Keras' output size (valid: floor((H − d(k−1) − 1)/s) + 1; same: ceil(H/s)).
    [InlineData(32, 3, 1, 1, false, 30)]
    [InlineData(32, 3, 2, 1, false, 15)]
    [InlineData(31, 3, 2, 1, false, 15)]
    [InlineData(31, 4, 2, 1, false, 14)]
    [InlineData(32, 3, 3, 1, false, 10)]
    [InlineData(7, 3, 3, 1, false, 2)]
    [InlineData(32, 3, 1, 2, false, 28)]
    [InlineData(33, 5, 2, 2, false, 13)]
    [InlineData(4, 5, 1, 1, false, 0)]
    [InlineData(32, 3, 1, 1, true, 32)]
    [InlineData(32, 3, 2, 1, true, 16)]
    [InlineData(31, 3, 2, 1, true, 16)]
    [InlineData(32, 3, 3, 1, true, 11)]
    [InlineData(31, 3, 3, 1, true, 11)]
    [InlineData(7, 5, 3, 1, true, 3)]
    [InlineData(32, 3, 1, 2, true, 32)]
    [InlineData(4, 7, 1, 1, true, 4)]
    public void Output_size_is_Keras(int size, int kernel, int stride, int dilation, bool same, int expected) =>
        Assert.Equal(expected, Kinds.WindowShapes.OutputSize(size, kernel, stride, dilation, same ? Model.Padding.Same : Model.Padding.Valid));

    [Fact]
    public void Summary_shapes_and_parameter_counts_are_Keras()
    {
        const string source = """
            using DslNet;
            namespace Samples;
            [Model(3, 32, 31)]
            [Conv2D(16, 3, Padding = Padding.Same, Act = Act.ReLU)]
            [Conv2D(32, 5, Stride = 2, UseBias = false, BatchNorm = true, Act = Act.ReLU)]
            [MaxPool(2)]
            [AvgPool(3, Stride = 2, Padding = Padding.Same)]
            [Conv2D(8, 3, Dilation = 2, Padding = Padding.Same, Act = Act.PReLU)]
            [Conv2D(8, 2, Stride = 3)]
            [Flatten]
            [Dense(10, Act = Act.Softmax)]
            public partial class Net;
            """;
        var output = GeneratorHarness.Run(source);
        Assert.Empty(output.Errors);
        var code = output.Sources["Samples.Net.g.cs"];

        // conv1: 16·(3·3·3) + 16 = 448. conv2 (valid 5×5, stride 2): (32 − 5)/2 + 1 = 14, (31 − 5)/2 + 1 = 14; 32·(16·5·5) = 12,800, no bias;
        // its batch norm 2·32 trainable + 2·32 moving. maxPool: 7×7. avgPool 3, stride 2, same: ceil(7/2) = 4. conv3: 8·(32·9) + 8 = 2,312,
        // PReLU one slope per channel: 8. conv4 (valid 2×2, stride 3): (4 − 2)/3 + 1 = 1. 8·(8·4) + 8 = 264. Dense: 8·10 + 10 = 90.
        var rows = System.Text.RegularExpressions.Regex.Matches(code, @"^\s*"" (\w+) \(([^)]*)\)\s+\(None, ([\d, ]+)\)\s+([\d,]+)\\n""", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(match => $"{match.Groups[1].Value} ({match.Groups[2].Value}) ({match.Groups[3].Value}) {match.Groups[4].Value}")
            .ToList();
        Assert.Equal(
            new[]
            {
                "conv1 (Conv2D, relu) (16, 32, 31) 448",
                "conv2 (Conv2D) (32, 14, 14) 12,800",
                "conv2Norm (BatchNorm, relu) (32, 14, 14) 128",
                "maxPool1 (MaxPool) (32, 7, 7) 0",
                "avgPool1 (AvgPool) (32, 4, 4) 0",
                "conv3 (Conv2D, prelu) (8, 4, 4) 2,320",
                "conv4 (Conv2D) (8, 1, 1) 264",
                "flatten (Flatten) (8) 0",
                "output (Dense, softmax) (10) 90",
            },
            rows);
        Assert.Contains("public const long ParameterCount = 15986;", code);
        Assert.Contains("\"Non-trainable params: 64\\n\"", code);
    }

    [Fact]
    public void Symmetric_padding_batch_norm_without_scale_and_resize_shape_and_count_as_torch_and_Keras()
    {
        const string source = """
            using DslNet;
            namespace Samples;
            [Model(3, 32, 32)]
            [Resize(224, 224)]
            [Conv2D(64, 7, Stride = 2, Padding = Padding.Symmetric, UseBias = false, BatchNorm = true, BatchNormScale = false, Act = Act.ReLU)]
            [MaxPool(3, Stride = 2, Padding = Padding.Symmetric)]
            [Conv2D(8, 2, Stride = 2, Padding = Padding.Symmetric, BatchNorm = true, BatchNormEpsilon = 1e-5, BatchNormMomentum = 0.9, UseBias = false)]
            [GlobalAvgPool]
            [Dense(10, Act = Act.Softmax)]
            public partial class Net;
            """;
        var output = GeneratorHarness.Run(source);
        Assert.Empty(output.Errors);
        var code = output.Sources["Samples.Net.g.cs"];

        // Resize: (3, 224, 224). conv1 7×7 stride 2, pad 3: (224 + 6 − 7)/2 + 1 = 112; 64·3·49 = 9,408; its norm without scale: 64
        // trainable (β) + 128 moving. maxPool 3, stride 2, pad 1: (112 + 2 − 3)/2 + 1 = 56. conv2 2×2 stride 2, pad 1 on every side:
        // (56 + 2 − 2)/2 + 1 = 29; 8·64·4 = 2,048; its norm 16 + 16. Dense 8·10 + 10 = 90.
        var rows = System.Text.RegularExpressions.Regex.Matches(code, @"^\s*"" (\w+) \(([^)]*)\)\s+\(None, ([\d, ]+)\)\s+([\d,]+)\\n""", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(match => $"{match.Groups[1].Value} ({match.Groups[2].Value}) ({match.Groups[3].Value}) {match.Groups[4].Value}")
            .ToList();
        Assert.Equal(
            new[]
            {
                "resize (Resize) (3, 224, 224) 0",
                "conv1 (Conv2D) (64, 112, 112) 9,408",
                "conv1Norm (BatchNorm, relu) (64, 112, 112) 192",
                "maxPool1 (MaxPool) (64, 56, 56) 0",
                "conv2 (Conv2D) (8, 29, 29) 2,048",
                "conv2Norm (BatchNorm) (8, 29, 29) 32",
                "globalAvgPool (GlobalAvgPool) (8) 0",
                "output (Dense, softmax) (10) 90",
            },
            rows);
        Assert.Contains("public const long ParameterCount = 11626;", code);
        Assert.Contains("\"Non-trainable params: 144\\n\"", code);
        Assert.Contains("conv1Norm = global::DslNet.Layers.BatchNorms.WithoutScale(global::TorchSharp.torch.nn.BatchNorm2d(64, eps: 0.001, momentum: 0.01, affine: false));", code);
        Assert.Contains("conv2Norm = global::TorchSharp.torch.nn.BatchNorm2d(8, eps: 1e-05, momentum: 0.1);", code);
        Assert.Contains(".Conv2D(conv1.Weight, conv1.Bias, 2, 1, 3, 3, 3, 3)", code);
        Assert.Contains(".MaxPool(3, 2, 1, 1, 1, 1)", code);
        Assert.Contains(".Resize(224, 224)", code);
    }
}

using DslNet.Onnx;
using TorchSharp;
using Xunit;
using static DslNet.Tests.Onnx.OnnxRuntimeRunner;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace DslNet.Tests.Onnx;

/// <summary>Each builder method against the TorchSharp operation it stands for, run by the real ONNX Runtime, at batch sizes 1 and 17.</summary>
public class OnnxGraphBuilderTests
{
    public static TheoryData<string, int> Activations()
    {
        var data = new TheoryData<string, int>();
        foreach (var act in Enum.GetNames<Act>())
        {
            data.Add(act, 1);
            data.Add(act, 17);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Activations))]
    public void Every_activation_matches_TorchSharp(string name, int batch)
    {
        using var scope = NewDisposeScope();
        var act = Enum.Parse<Act>(name);
        var generator = new Generator(7);
        var x = randn([batch, 6], generator: generator) * 3;
        var builder = new OnnxGraphBuilder("act", [6]);
        Tensor expected;
        switch (act)
        {
            case Act.PReLU:
                var slope = randn([6], generator: generator) * 0.5;
                builder.PRelu(slope);
                expected = F.prelu(x, slope);
                break;
            case Act.ParametricSwish:
                var beta = tensor(new[] { 1.7f });
                builder.ParametricSwish(beta);
                expected = x * (beta * x).sigmoid();
                break;
            default:
                builder.Activation(act, act == Act.LeakyReLU ? 0.2 : act == Act.ELU ? 0.7 : double.NaN);
                expected = act switch
                {
                    Act.Linear => x,
                    Act.ReLU => F.relu(x),
                    Act.LeakyReLU => F.leaky_relu(x, 0.2),
                    Act.ELU => F.elu(x, 0.7),
                    Act.SELU => F.selu(x),
                    Act.GELU => F.gelu(x),
                    Act.Swish => F.silu(x),
                    Act.Mish => F.mish(x),
                    Act.Tanh => F.tanh(x),
                    Act.Sigmoid => F.sigmoid(x),
                    Act.Softplus => F.softplus(x),
                    Act.Softmax => F.softmax(x, -1),
                    _ => throw new InvalidOperationException(name),
                };
                break;
        }

        AssertClose(expected, Run(builder.ToBytes(), x), name);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(17)]
    public void Default_alphas_are_Keras_defaults(int batch)
    {
        using var scope = NewDisposeScope();
        var x = randn([batch, 5], generator: new Generator(1)) * 3;

        AssertClose(F.leaky_relu(x, 0.3), Run(new OnnxGraphBuilder("leaky", [5]).Activation(Act.LeakyReLU).ToBytes(), x), "LeakyReLU");
        AssertClose(F.elu(x, 1.0), Run(new OnnxGraphBuilder("elu", [5]).Activation(Act.ELU).ToBytes(), x), "ELU");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(17)]
    public void Standardize_flatten_dense_and_batch_norm_match_TorchSharp(int batch)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(11);
        var mean = randn([2, 3, 4], generator: generator) * 50;
        var std = rand([2, 3, 4], generator: generator) * 20 + 1;
        // Raw features far from 0 and 1, which standardization brings to unit scale.
        var x = mean + (std * randn([batch, 2, 3, 4], generator: generator));
        var weight = randn([7, 24], generator: generator) * 0.2;
        var bias = randn([7], generator: generator);
        var gamma = rand([7], generator: generator) + 0.5;
        var beta = randn([7], generator: generator);
        var movingMean = randn([7], generator: generator);
        var movingVariance = rand([7], generator: generator) + 0.2;
        var noBiasWeight = randn([3, 7], generator: generator) * 0.3;

        var graph = new OnnxGraphBuilder("dense", [2, 3, 4])
            .Standardize(mean, std).Flatten().Dense(weight, bias).BatchNorm(gamma, beta, movingMean, movingVariance, 1e-3).Dense(noBiasWeight, null);

        var standardized = (x - mean) / std;
        var dense = F.linear(standardized.flatten(1), weight, bias);
        var normalized = F.batch_norm(dense, movingMean, movingVariance, gamma, beta, training: false, eps: 1e-3);
        var expected = F.linear(normalized, noBiasWeight);
        Assert.Equal([3L], graph.SampleShape);
        AssertClose(expected, Run(graph.ToBytes(), x), "Standardize → Flatten → Dense → BatchNorm → Dense");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(17)]
    public void Batch_norm_of_feature_maps_and_channel_PReLU_match_TorchSharp(int batch)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(5);
        var x = randn([batch, 3, 5, 5], generator: generator);
        var gamma = rand([3], generator: generator) + 0.5;
        var beta = randn([3], generator: generator);
        var movingMean = randn([3], generator: generator);
        var movingVariance = rand([3], generator: generator) + 0.2;
        var slope = randn([3], generator: generator);

        var graph = new OnnxGraphBuilder("maps", [3, 5, 5]).BatchNorm(gamma, beta, movingMean, movingVariance, 1e-5).PRelu(slope);

        var expected = F.prelu(F.batch_norm(x, movingMean, movingVariance, gamma, beta, training: false, eps: 1e-5), slope);
        AssertClose(expected, Run(graph.ToBytes(), x), "BatchNorm2d → PReLU");
    }

    [Theory]
    [InlineData(1, 32, 3, 1, 1)]
    [InlineData(17, 32, 3, 2, 1)]
    [InlineData(17, 15, 4, 2, 1)]
    [InlineData(1, 9, 3, 1, 2)]
    public void Conv2D_with_Keras_same_padding_matches_TorchSharp(int batch, int size, int kernel, int stride, int dilation)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(3);
        var x = randn([batch, 3, size, size], generator: generator);
        var weight = randn([4, 3, kernel, kernel], generator: generator) * 0.2;
        var bias = randn([4], generator: generator);
        var (top, bottom) = OnnxGraphBuilder.SamePadding(size, kernel, stride, dilation);

        var graph = new OnnxGraphBuilder("conv", [3, size, size]).Conv2D(weight, bias, stride, dilation, top, top, bottom, bottom);

        // Keras' same padding: the output has ceil(size / stride) positions, the odd padding cell at the bottom and right.
        var padded = F.pad(x, [top, bottom, top, bottom]);
        var expected = F.conv2d(padded, weight, bias, strides: [stride, stride], dilation: [dilation, dilation]);
        Assert.Equal((size + stride - 1) / stride, expected.shape[2]);
        Assert.Equal([4L, expected.shape[2], expected.shape[3]], graph.SampleShape);
        AssertClose(expected, Run(graph.ToBytes(), x), $"Conv2D k{kernel} s{stride} d{dilation}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(17)]
    public void Valid_conv_without_bias_then_pools_match_TorchSharp(int batch)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(9);
        var x = randn([batch, 2, 12, 12], generator: generator);
        var weight = randn([5, 2, 3, 3], generator: generator) * 0.3;

        var graph = new OnnxGraphBuilder("pools", [2, 12, 12]).Conv2D(weight, null, 1, 1, 0, 0, 0, 0).MaxPool(2, 2).AvgPool(2, 2).GlobalAvgPool();

        var conv = F.conv2d(x, weight);
        var expected = F.avg_pool2d(F.max_pool2d(conv, [2, 2], [2, 2]), [2, 2], [2, 2]).mean([2, 3]);
        Assert.Equal([5L], graph.SampleShape);
        AssertClose(expected, Run(graph.ToBytes(), x), "Conv2D (valid) → MaxPool → AvgPool → GlobalAvgPool");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(17)]
    public void Padded_pools_ignore_the_padding_as_Keras(int batch)
    {
        using var scope = NewDisposeScope();
        var x = randn([batch, 2, 7, 7], generator: new Generator(4)) - 3;
        var (before, after) = OnnxGraphBuilder.SamePadding(7, 2, 2);

        var maxGraph = new OnnxGraphBuilder("max", [2, 7, 7]).MaxPool(2, 2, before, before, after, after);
        var avgGraph = new OnnxGraphBuilder("avg", [2, 7, 7]).AvgPool(2, 2, before, before, after, after);

        // Padding with −∞ never wins a maximum; an average over the real cells only is a sum over the real cells / their count.
        var expectedMax = F.max_pool2d(F.pad(x, [before, after, before, after], value: double.NegativeInfinity), [2, 2], [2, 2]);
        var sums = F.avg_pool2d(F.pad(x, [before, after, before, after]), [2, 2], [2, 2]);
        var counts = F.avg_pool2d(F.pad(ones_like(x), [before, after, before, after]), [2, 2], [2, 2]);
        Assert.Equal(4, expectedMax.shape[2]);
        AssertClose(expectedMax, Run(maxGraph.ToBytes(), x), "MaxPool same");
        AssertClose(sums / counts, Run(avgGraph.ToBytes(), x), "AvgPool same");
    }

    [Fact]
    public void The_graph_has_a_dynamic_batch_and_the_documented_names()
    {
        using var scope = NewDisposeScope();
        var bytes = new OnnxGraphBuilder("names", [4]).Dense(ones(3, 4), null).Softmax().ToBytes();
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(bytes);

        Assert.Equal([-1, 4], session.InputMetadata["input"].Dimensions);
        Assert.Equal("batch", session.InputMetadata["input"].SymbolicDimensions[0]);
        Assert.Equal([-1, 3], session.OutputMetadata["output"].Dimensions);
        Assert.Equal(OnnxGraphBuilder.Opset, DslNet.Onnx.Protos.ModelProto.Parser.ParseFrom(bytes).OpsetImport.Single().Version);
    }

    [Fact]
    public void Wrong_weights_are_refused_with_the_expected_shape()
    {
        using var scope = NewDisposeScope();
        var builder = new OnnxGraphBuilder("wrong", [4]);

        var error = Assert.Throws<ArgumentException>(() => builder.Dense(ones(3, 5), null));
        Assert.Contains("[3, 4]", error.Message);
        Assert.Throws<InvalidOperationException>(() => builder.MaxPool(2, 2));
        Assert.Throws<ArgumentException>(() => builder.Activation(Act.PReLU));
    }

    [Fact]
    public void Save_writes_the_file_atomically_and_replaces_an_old_one()
    {
        using var scope = NewDisposeScope();
        var folder = Directory.CreateTempSubdirectory("dslnet-onnx-");
        try
        {
            var path = Path.Combine(folder.FullName, "model.onnx");
            File.WriteAllText(path, "old");
            var builder = new OnnxGraphBuilder("saved", [2]).Relu();

            builder.Save(path);

            Assert.Equal(builder.ToBytes(), File.ReadAllBytes(path));
            Assert.Equal(["model.onnx"], folder.GetFiles().Select(file => file.Name));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}

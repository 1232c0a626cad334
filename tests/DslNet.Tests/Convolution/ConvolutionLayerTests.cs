using System.Globalization;
using System.Text.RegularExpressions;
using DslNet.Layers;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DslNet.Tests.Convolution;

/// <summary>The conv layers' numerics (Keras' same padding), the generated conv nets' shapes, initializers and augmentation.</summary>
public partial class ConvolutionLayerTests
{
    [Fact]
    public void Generated_same_padding_conv_with_stride_2_equals_a_conv_padded_bottom_right_by_hand()
    {
        using var scope = NewDisposeScope();
        using var model = new SameStrideConv();
        var x = randn(new long[] { 2, 3, 8, 8 }, generator: new Generator(1));
        var (weight, bias) = (Parameter(model, "conv1.weight"), Parameter(model, "conv1.bias"));
        using (no_grad())
        {
            bias.copy_(randn(4, generator: new Generator(2)));
        }

        // Keras: output ceil(8 / 2) = 4, total padding (4 − 1)·2 + 3 − 8 = 1, all of it at the bottom and on the right.
        var expected = nn.functional.conv2d(nn.functional.pad(x, new long[] { 0, 1, 0, 1 }), weight, bias, strides: new long[] { 2, 2 });
        model.eval();
        var actual = model.forward(x);

        Assert.Equal(new long[] { 2, 4, 4, 4 }, actual.shape);
        Assert.True(actual.allclose(expected, rtol: 1e-5, atol: 1e-6));
        // Symmetric padding (torch's) would differ: the top-left padding shifts every window.
        var symmetric = nn.functional.conv2d(x, weight, bias, strides: new long[] { 2, 2 }, padding: new long[] { 1, 1 });
        Assert.False(actual.allclose(symmetric, rtol: 1e-3, atol: 1e-4));
    }

    [Theory]
    [InlineData(31, 3, 2, 1, 1, 1)]   // odd total → symmetric
    [InlineData(32, 3, 2, 1, 0, 1)]   // extra pixel after
    [InlineData(32, 4, 1, 1, 1, 2)]
    [InlineData(7, 5, 3, 1, 2, 2)]
    [InlineData(32, 3, 1, 2, 2, 2)]
    [InlineData(8, 2, 2, 1, 0, 0)]
    public void Same_padding_splits_as_Keras(long size, long kernel, long stride, long dilation, long before, long after) =>
        Assert.Equal((before, after), ConvolutionShapes.SamePadding(size, kernel, stride, dilation));

    [Theory]
    [InlineData(9, 9, 3, 1)]
    [InlineData(10, 7, 3, 2)]
    [InlineData(6, 6, 2, 3)]
    public void Convolution_matches_the_explicit_padded_conv_for_every_shape(long height, long width, long kernel, long stride)
    {
        using var scope = NewDisposeScope();
        using var layer = new Convolution2D(2, 3, kernel, stride, dilation: 1, Padding.Same);
        using (no_grad())
        {
            layer.Weight.normal_(0, 1, new Generator(3));
            layer.Bias!.normal_(0, 1, new Generator(4));
        }

        var x = randn(new long[] { 2, 2, height, width }, generator: new Generator(5));
        var (top, bottom) = ConvolutionShapes.SamePadding(height, kernel, stride, 1);
        var (left, right) = ConvolutionShapes.SamePadding(width, kernel, stride, 1);
        var expected = nn.functional.conv2d(nn.functional.pad(x, new[] { left, right, top, bottom }), layer.Weight, layer.Bias, strides: new[] { stride, stride });
        var actual = layer.forward(x);

        Assert.Equal(new[] { 2, 3, (height + stride - 1) / stride, (width + stride - 1) / stride }, actual.shape);
        Assert.True(actual.allclose(expected, rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void Same_max_pooling_never_picks_the_padding_and_same_average_pooling_does_not_count_it()
    {
        using var scope = NewDisposeScope();
        var x = arange(1, 10, dtype: float32).view(1, 1, 3, 3).neg();   // all negative: zero padding would win a max
        using var max = new Pooling2D(PoolingKind.Max, 2, 2, Padding.Same);
        using var average = new Pooling2D(PoolingKind.Average, 2, 2, Padding.Same);

        // ceil(3 / 2) = 2; total padding 1, at the bottom/right: windows {1,2,4,5}, {3,6}, {7,8}, {9}.
        Assert.Equal(new float[] { -1, -3, -7, -9 }, max.forward(x).data<float>().ToArray());
        Assert.Equal(new float[] { -3, -4.5f, -7.5f, -9 }, average.forward(x).data<float>().ToArray());
    }

    [Fact]
    public void Global_average_pooling_is_the_mean_over_height_and_width()
    {
        using var scope = NewDisposeScope();
        var x = randn(new long[] { 2, 3, 4, 5 }, generator: new Generator(6));
        using var pool = new GlobalAveragePooling2D();
        Assert.True(pool.forward(x).allclose(x.mean(new long[] { 2, 3 })));
    }

    [Fact]
    public void A_forward_pass_of_the_generated_module_gives_exactly_the_compile_time_shapes()
    {
        using var scope = NewDisposeScope();
        using var model = new ShapeNet();
        var expected = SummaryShapes(ShapeNet.Summary);
        var seen = new Dictionary<string, long[]>();
        foreach (var (name, child) in model.named_children())
        {
            if (child is nn.Module<Tensor, Tensor> layer && expected.ContainsKey(name))
            {
                layer.register_forward_hook((_, _, output) =>
                {
                    seen[name] = output.shape;
                    return output;
                });
            }
        }

        model.eval();
        var result = model.forward(randn(new long[] { 5, 3, 32, 31 }, generator: new Generator(7)));

        Assert.Equal(new long[] { 5, 10 }, result.shape);
        Assert.Equal(expected.Keys.Order(), seen.Keys.Order());
        foreach (var (name, shape) in expected)
        {
            Assert.Equal(new[] { 5L }.Concat(shape), seen[name]);
        }

        Assert.Equal(15_986, ShapeNet.ParameterCount);
        Assert.Equal(ShapeNet.ParameterCount + 64, model.parameters().Sum(p => p.numel()) + model.buffers().Where(b => b.dtype == float32).Sum(b => b.numel()));
    }

    public static TheoryData<string, double> NormalConvLayers => new()
    {
        { "conv1", 2.0 / (64 * 5 * 5) },   // He normal: 2 / fan_in, fan_in = C·k·k
        { "conv2", 1.0 / (256 * 3 * 3) },  // LeCun normal: 1 / fan_in
    };

    [Theory]
    [MemberData(nameof(NormalConvLayers))]
    public void Conv_kernels_are_truncated_normals_over_the_fan_in_C_k_k(string layer, double variance)
    {
        using var model = new WideConvNet();
        var weight = Parameter(model, layer + ".weight");
        var target = Math.Sqrt(variance);
        var raw = target / Initializers.TruncatedNormalStd;

        Assert.InRange(weight.std().item<float>(), target * 0.98, target * 1.02);
        Assert.True(weight.abs().max().item<float>() <= 2 * raw * (1 + 1e-6), "a truncated normal never exceeds ±2 raw std");
        Assert.True(weight.abs().max().item<float>() >= 2 * raw * 0.99, "hundreds of thousands of draws reach the cut");
    }

    [Fact]
    public void Conv_Glorot_uniform_bounds_use_fan_in_and_fan_out_times_k_k()
    {
        using var model = new WideConvNet();
        var weight = Parameter(model, "conv3.weight");
        var limit = Math.Sqrt(6.0 / ((256 * 3 * 3) + (256 * 3 * 3)));

        Assert.True(weight.abs().max().item<float>() <= limit);
        Assert.True(weight.abs().max().item<float>() >= limit * 0.99);
        Assert.InRange(weight.std().item<float>(), limit / Math.Sqrt(3) * 0.98, limit / Math.Sqrt(3) * 1.02);
        Assert.True(Parameter(model, "conv3.bias").eq(0).all().item<bool>());
    }

    [Fact]
    public void Augmentation_is_the_identity_at_inference()
    {
        using var scope = NewDisposeScope();
        using var flip = new RandomHorizontalFlip(seed: 1);
        using var crop = new RandomPaddedCrop(4, seed: 1);
        flip.eval();
        crop.eval();
        var x = randn(new long[] { 16, 3, 8, 8 }, generator: new Generator(8));

        Assert.True(flip.forward(x).Eq(x));
        Assert.True(crop.forward(x).Eq(x));
    }

    [Fact]
    public void Training_flips_mirror_some_images_whole_and_repeat_for_a_seed()
    {
        using var scope = NewDisposeScope();
        var x = randn(new long[] { 64, 3, 5, 6 }, generator: new Generator(9));
        var first = Flipped(x, seed: 11);
        var again = Flipped(x, seed: 11);
        var other = Flipped(x, seed: 12);

        Assert.True(first.Eq(again));
        Assert.False(first.Eq(other));
        var mirrored = 0;
        for (var i = 0; i < 64; i++)
        {
            var isSame = first[i].Eq(x[i]);
            var isMirror = first[i].Eq(x[i].flip(2));
            Assert.True(isSame || isMirror, $"image {i} is neither itself nor its mirror");
            mirrored += isMirror ? 1 : 0;
        }

        Assert.InRange(mirrored, 16, 48);
    }

    [Fact]
    public void Training_crops_are_shifted_windows_of_the_zero_padded_image_and_repeat_for_a_seed()
    {
        using var scope = NewDisposeScope();
        var x = randn(new long[] { 32, 2, 6, 7 }, generator: new Generator(10));
        var first = Cropped(x, seed: 21);

        Assert.True(first.Eq(Cropped(x, seed: 21)));
        Assert.False(first.Eq(Cropped(x, seed: 22)));
        Assert.Equal(x.shape, first.shape);
        var padded = nn.functional.pad(x, new long[] { 3, 3, 3, 3 });
        var offsets = new HashSet<(long, long)>();
        for (var i = 0; i < 32; i++)
        {
            var match = (from dy in Enumerable.Range(0, 7)
                         from dx in Enumerable.Range(0, 7)
                         where first[i].Eq(padded[i, .., dy..(dy + 6), dx..(dx + 7)])
                         select ((long)dy, (long)dx)).ToList();
            Assert.NotEmpty(match);
            offsets.Add(match[0]);
        }

        Assert.True(offsets.Count > 8, "offsets vary from image to image");
    }

    [Fact]
    public void A_generated_model_augments_while_training_only_deterministically_for_its_seed()
    {
        using var scope = NewDisposeScope();
        var x = randn(new long[] { 32, 3, 8, 8 }, generator: new Generator(11));
        using var a = new AugmentedNet();
        using var b = new AugmentedNet();
        a.eval();
        var inference = a.forward(x);
        Assert.True(inference.Eq(a.forward(x)), "inference is deterministic");

        a.train();
        b.train();
        var trainingA = a.forward(x);
        Assert.True(trainingA.Eq(b.forward(x)), "two models of the same seed augment alike");
        Assert.False(trainingA.allclose(inference), "training inputs are augmented");
    }

    private static Tensor Flipped(Tensor x, long seed)
    {
        using var flip = new RandomHorizontalFlip(seed);
        flip.train();
        return flip.forward(x);
    }

    private static Tensor Cropped(Tensor x, long seed)
    {
        using var crop = new RandomPaddedCrop(3, seed);
        crop.train();
        return crop.forward(x);
    }

    private static Tensor Parameter(nn.Module model, string name) => model.named_parameters().Single(p => p.name == name).parameter;

    /// <summary>Each layer's per-sample output shape as the compile-time summary prints it.</summary>
    private static Dictionary<string, long[]> SummaryShapes(string summary) => SummaryRow().Matches(summary)
        .ToDictionary(
            match => match.Groups[1].Value,
            match => match.Groups[2].Value.Split(", ").Select(d => long.Parse(d, CultureInfo.InvariantCulture)).ToArray());

    [GeneratedRegex(@"^ (\w+) \([^)]*\)\s+\(None, ([\d, ]+)\)", RegexOptions.Multiline)]
    private static partial Regex SummaryRow();
}

/// <summary>Exact tensor equality as a bool.</summary>
internal static class TensorEquality
{
    public static bool Eq(this Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();
}

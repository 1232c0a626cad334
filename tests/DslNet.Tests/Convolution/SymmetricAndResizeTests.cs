using DslNet.Layers;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DslNet.Tests.Convolution;

/// <summary>Padding.Symmetric (PyTorch's k // 2), Keras' scale-free batch norm and bilinear resizing, against torch by hand.</summary>
public class SymmetricAndResizeTests
{
    [Theory]
    [InlineData(224, 7, 2, 1, 112)]
    [InlineData(112, 3, 2, 1, 56)]
    [InlineData(32, 3, 1, 1, 32)]
    [InlineData(31, 3, 2, 1, 16)]
    [InlineData(32, 2, 2, 1, 17)]
    [InlineData(32, 3, 1, 2, 32)]
    [InlineData(56, 1, 2, 1, 28)]
    public void Symmetric_output_size_is_torchs(long size, long kernel, long stride, long dilation, long expected)
    {
        Assert.Equal(expected, ConvolutionShapes.OutputSize(size, kernel, stride, dilation, Padding.Symmetric));
        var pad = kernel / 2 * dilation;
        Assert.Equal(((size + (2 * pad) - (dilation * (kernel - 1)) - 1) / stride) + 1, expected);
    }

    [Fact]
    public void Symmetric_conv_equals_torchs_padding_k_over_2()
    {
        using var scope = NewDisposeScope();
        using var layer = new Convolution2D(3, 4, 7, stride: 2, padding: Padding.Symmetric);
        using (no_grad())
        {
            layer.Weight.normal_(0, 1, new Generator(3));
            layer.Bias!.normal_(0, 1, new Generator(4));
        }

        var x = randn(new long[] { 2, 3, 16, 16 }, generator: new Generator(5));
        var expected = nn.functional.conv2d(x, layer.Weight, layer.Bias, strides: new long[] { 2, 2 }, padding: new long[] { 3, 3 });
        var actual = layer.forward(x);

        Assert.Equal(new long[] { 2, 4, 8, 8 }, actual.shape);
        Assert.True(actual.allclose(expected, rtol: 1e-5, atol: 1e-5));
        // Keras' same padding puts the odd pixel at the end: other windows, other outputs.
        using var same = new Convolution2D(3, 4, 7, stride: 2, padding: Padding.Same);
        using (no_grad())
        {
            same.Weight.copy_(layer.Weight);
            same.Bias!.copy_(layer.Bias);
        }

        Assert.False(same.forward(x).allclose(expected, rtol: 1e-3, atol: 1e-4));
    }

    [Fact]
    public void Symmetric_max_pooling_pads_with_minus_infinity()
    {
        using var scope = NewDisposeScope();
        using var pool = new Pooling2D(PoolingKind.Max, 3, 2, Padding.Symmetric);
        var x = -rand(new long[] { 1, 2, 8, 8 }, generator: new Generator(6)) - 1;

        var actual = pool.forward(x);

        Assert.Equal(new long[] { 1, 2, 4, 4 }, actual.shape);
        Assert.True(actual.allclose(nn.functional.max_pool2d(x, new long[] { 3, 3 }, new long[] { 2, 2 }, new long[] { 1, 1 })));
        Assert.True(actual.max().item<float>() < -1f, "A padded zero won a max over negative values.");
    }

    [Fact]
    public void A_batch_norm_without_scale_learns_a_shift_alone()
    {
        using var scope = NewDisposeScope();
        using var norm = BatchNorms.WithoutScale(nn.BatchNorm2d(5, affine: false));
        using (no_grad())
        {
            norm.bias!.copy_(arange(5, dtype: float32));
        }

        var x = randn(new long[] { 4, 5, 3, 3 }, generator: new Generator(7));
        var expected = nn.functional.batch_norm(x, zeros(5), ones(5), null, arange(5, dtype: float32), training: true, eps: 1e-5);

        Assert.Equal(new[] { "bias" }, norm.named_parameters().Select(pair => pair.name));
        Assert.True(norm.forward(x).allclose(expected, rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void Resizing_is_bilinear_with_half_pixel_centres_as_Keras()
    {
        using var scope = NewDisposeScope();
        using var resize = new Resizing(4, 4);
        var x = tensor(new float[] { 0, 1, 2, 3 }).reshape(1, 1, 2, 2);

        var actual = resize.forward(x);

        // Keras Resizing (bilinear, half-pixel): source (i + ½)·½ − ½, clamped: weights 0, ¼, ¾, 1 along each axis.
        float[] f = [0f, 0.25f, 0.75f, 1f];
        var expected = tensor(f.SelectMany(row => f.Select(column => column + (2 * row))).ToArray()).reshape(1, 1, 4, 4);
        Assert.True(actual.allclose(expected, rtol: 1e-6, atol: 1e-6), string.Join(", ", actual.data<float>().ToArray()));
    }
}

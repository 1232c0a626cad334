using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DslNet.Layers;

/// <summary>
/// Keras' <c>Conv2D</c> on channels-first maps [N, C, H, W]: a weight [filters, C, k, k], an optional bias, strides,
/// dilation and <see cref="Padding"/>. "Same" padding is applied as Keras pads, with the extra pixel of an odd total at the
/// bottom/right: symmetric padding inside the convolution when the total is even, an explicit pad first otherwise.
/// </summary>
public sealed class Convolution2D : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter? bias;
    private readonly long[] strides;
    private readonly long[] dilations;

    /// <summary>Creates the layer (weights zero and bias zero; the generated model initializes them as Keras does).</summary>
    public Convolution2D(long inChannels, long filters, long kernel, long stride = 1, long dilation = 1, Padding padding = Padding.Valid, bool useBias = true)
        : base(nameof(Convolution2D))
    {
        if (inChannels < 1 || filters < 1 || kernel < 1 || stride < 1 || dilation < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(kernel), $"Convolution2D needs inChannels, filters, kernel, stride and dilation ≥ 1; got {inChannels}, {filters}, {kernel}, {stride}, {dilation}.");
        }

        Kernel = kernel;
        Stride = stride;
        Dilation = dilation;
        Padding = padding;
        strides = new[] { stride, stride };
        dilations = new[] { dilation, dilation };
        weight = new Parameter(zeros(filters, inChannels, kernel, kernel));
        register_parameter(nameof(weight), weight);
        if (useBias)
        {
            bias = new Parameter(zeros(filters));
            register_parameter(nameof(bias), bias);
        }
    }

    /// <summary>The kernels [filters, C, k, k].</summary>
    public Parameter Weight => weight;

    /// <summary>The bias [filters], or null without one.</summary>
    public Parameter? Bias => bias;

    /// <summary>The kernel side.</summary>
    public long Kernel { get; }

    /// <summary>The stride.</summary>
    public long Stride { get; }

    /// <summary>The dilation.</summary>
    public long Dilation { get; }

    /// <summary>The padding mode.</summary>
    public Padding Padding { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (Padding == Padding.Valid)
        {
            return nn.functional.conv2d(input, weight, bias, strides, new long[] { 0, 0 }, dilations);
        }

        var (top, bottom) = ConvolutionShapes.Pads(input.shape[2], Kernel, Stride, Dilation, Padding);
        var (left, right) = ConvolutionShapes.Pads(input.shape[3], Kernel, Stride, Dilation, Padding);
        if (top == bottom && left == right)
        {
            return nn.functional.conv2d(input, weight, bias, strides, new[] { top, left }, dilations);
        }

        using var padded = nn.functional.pad(input, new[] { left, right, top, bottom });
        return nn.functional.conv2d(padded, weight, bias, strides, new long[] { 0, 0 }, dilations);
    }
}

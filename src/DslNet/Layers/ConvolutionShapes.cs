// This file is compiled into the runtime and, linked, into the generator (which must not reference the runtime): the
// shapes the generator computes at compile time, the padding the runtime layers apply and the pads the ONNX export
// writes are one arithmetic. In the generator, Padding is the generator's mirror of the runtime enum (same values).
#if DSLNET_GENERATOR
using Padding = DslNet.Generators.Model.Padding;
#endif
using System;

namespace DslNet.Layers;

/// <summary>Keras' (and PyTorch's) output sizes and padding of convolution and pooling windows along one spatial dimension.</summary>
#if DSLNET_GENERATOR
internal
#else
public
#endif
static class ConvolutionShapes
{
    /// <summary>
    /// The output size of a window of <paramref name="kernel"/> taps spaced <paramref name="dilation"/> apart moving by
    /// <paramref name="stride"/> over <paramref name="size"/> positions: floor((size − d·(k − 1) − 1) / stride) + 1 for
    /// <see cref="Padding.Valid"/> (≤ 0 when the window does not fit), ceil(size / stride) for <see cref="Padding.Same"/>,
    /// floor((size + 2·⌊k/2⌋·d − d·(k − 1) − 1) / stride) + 1 for <see cref="Padding.Symmetric"/>.
    /// </summary>
    public static long OutputSize(long size, long kernel, long stride, long dilation, Padding padding)
    {
        var (before, after) = Pads(size, kernel, stride, dilation, padding);
        return PaddedOutputSize(size, kernel, stride, dilation, before + after);
    }

    /// <summary>The output size of a window over <paramref name="size"/> positions with <paramref name="padding"/> cells added in all (0 when it does not fit).</summary>
    public static long PaddedOutputSize(long size, long kernel, long stride, long dilation, long padding)
    {
        var room = size + padding - (dilation * (kernel - 1)) - 1;
        return room < 0 ? 0 : (room / stride) + 1;
    }

    /// <summary>The padding (before, after) along one dimension that <paramref name="padding"/> adds.</summary>
    public static (long Before, long After) Pads(long size, long kernel, long stride, long dilation, Padding padding) => padding switch
    {
        Padding.Valid => (0, 0),
        Padding.Same => SamePadding(size, kernel, stride, dilation),
        Padding.Symmetric => SymmetricPadding(kernel, dilation),
        _ => throw new ArgumentOutOfRangeException(nameof(padding), padding, "Not a padding mode."),
    };

    /// <summary>
    /// Keras' "same" padding along one dimension as (before, after): total max((ceil(size / s) − 1)·s + d·(k − 1) + 1 − size, 0),
    /// with the extra pixel of an odd total after (at the bottom/right).
    /// </summary>
    public static (long Before, long After) SamePadding(long size, long kernel, long stride, long dilation)
    {
        var output = (size + stride - 1) / stride;
        var total = Math.Max(((output - 1) * stride) + (dilation * (kernel - 1)) + 1 - size, 0);
        return (total / 2, total - (total / 2));
    }

    /// <summary>PyTorch's <c>padding = k // 2</c> (times the dilation) on both sides, as torchvision's and CNTK's ResNets pad.</summary>
    public static (long Before, long After) SymmetricPadding(long kernel, long dilation) => (kernel / 2 * dilation, kernel / 2 * dilation);
}

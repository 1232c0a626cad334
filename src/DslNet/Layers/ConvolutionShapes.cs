namespace DslNet.Layers;

/// <summary>Keras' output sizes and padding of convolution and pooling windows along one spatial dimension.</summary>
public static class ConvolutionShapes
{
    /// <summary>
    /// The output size of a window of <paramref name="kernel"/> taps spaced <paramref name="dilation"/> apart moving by
    /// <paramref name="stride"/> over <paramref name="size"/> positions: floor((size − d·(k − 1) − 1) / stride) + 1 for
    /// <see cref="Padding.Valid"/> (≤ 0 when the window does not fit), ceil(size / stride) for <see cref="Padding.Same"/>.
    /// </summary>
    public static long OutputSize(long size, long kernel, long stride, long dilation, Padding padding) => padding == Padding.Same
        ? (size + stride - 1) / stride
        : size - (dilation * (kernel - 1)) - 1 < 0 ? 0 : ((size - (dilation * (kernel - 1)) - 1) / stride) + 1;

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
}

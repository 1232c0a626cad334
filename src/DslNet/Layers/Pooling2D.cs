using TorchSharp;
using static TorchSharp.torch;

namespace DslNet.Layers;

/// <summary>The reduction a <see cref="Pooling2D"/> layer applies to each window.</summary>
public enum PoolingKind
{
    /// <summary>The window's maximum (Keras <c>MaxPooling2D</c>).</summary>
    Max,
    /// <summary>The window's mean (Keras <c>AveragePooling2D</c>).</summary>
    Average,
}

/// <summary>
/// Keras' 2-D max or average pooling on [N, C, H, W] with square windows, a stride and <see cref="Padding"/>. With
/// "same" padding the padded positions never win a max and are not counted in a mean, as in Keras.
/// </summary>
public sealed class Pooling2D : nn.Module<Tensor, Tensor>
{
    private readonly long[] window;
    private readonly long[] strides;

    /// <summary>Creates the layer: windows of <paramref name="size"/>, moving by <paramref name="stride"/> (0 = the window size).</summary>
    public Pooling2D(PoolingKind kind, long size, long stride = 0, Padding padding = Padding.Valid)
        : base(kind == PoolingKind.Max ? "MaxPooling2D" : "AveragePooling2D")
    {
        if (size < 1 || stride < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), $"Pooling2D needs a window of at least 1 and a stride ≥ 0 (0 = window); got {size} and {stride}.");
        }

        Kind = kind;
        Size = size;
        Stride = stride == 0 ? size : stride;
        Padding = padding;
        window = new[] { size, size };
        strides = new[] { Stride, Stride };
    }

    /// <summary>Max or average.</summary>
    public PoolingKind Kind { get; }

    /// <summary>The window side.</summary>
    public long Size { get; }

    /// <summary>The stride.</summary>
    public long Stride { get; }

    /// <summary>The padding mode.</summary>
    public Padding Padding { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (Padding == Padding.Valid)
        {
            return Pool(input);
        }

        var (top, bottom) = ConvolutionShapes.Pads(input.shape[2], Size, Stride, 1, Padding);
        var (left, right) = ConvolutionShapes.Pads(input.shape[3], Size, Stride, 1, Padding);
        var pad = new[] { left, right, top, bottom };
        if (Kind == PoolingKind.Max)
        {
            using var padded = nn.functional.pad(input, pad, PaddingModes.Constant, double.NegativeInfinity);
            return Pool(padded);
        }

        // Mean over the real pixels only: pool the zero-padded map, divide by the pooled share of real pixels.
        using var scope = NewDisposeScope();
        var sums = Pool(nn.functional.pad(input, pad));
        var share = Pool(nn.functional.pad(ones(1, 1, input.shape[2], input.shape[3], dtype: input.dtype, device: input.device), pad));
        return sums.div_(share).MoveToOuterDisposeScope();
    }

    private Tensor Pool(Tensor input) => Kind == PoolingKind.Max
        ? nn.functional.max_pool2d(input, window, strides)
        : nn.functional.avg_pool2d(input, window, strides);
}

/// <summary>Keras' <c>GlobalAveragePooling2D</c>: the mean over H and W of each channel, [N, C, H, W] → [N, C].</summary>
public sealed class GlobalAveragePooling2D : nn.Module<Tensor, Tensor>
{
    private static readonly long[] SpatialDimensions = { 2, 3 };

    /// <summary>Creates the layer.</summary>
    public GlobalAveragePooling2D() : base(nameof(GlobalAveragePooling2D))
    {
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.mean(SpatialDimensions);
    }
}

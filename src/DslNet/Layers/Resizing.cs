using TorchSharp;
using static TorchSharp.torch;

namespace DslNet.Layers;

/// <summary>
/// Keras' <c>Resizing</c> (bilinear, no antialiasing) on [N, C, H, W]: each map resized to <see cref="Height"/> ×
/// <see cref="Width"/> with half-pixel centres, source coordinates clamped at the border, which is PyTorch's
/// <c>interpolate(mode="bilinear", align_corners=False)</c> and ONNX's <c>Resize</c> (linear, <c>half_pixel</c>).
/// </summary>
public sealed class Resizing : nn.Module<Tensor, Tensor>
{
    private readonly long[] size;

    /// <summary>Creates the layer.</summary>
    public Resizing(long height, long width) : base(nameof(Resizing))
    {
        if (height < 1 || width < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(height), $"Resizing needs a height and a width of at least 1; got {height} × {width}.");
        }

        Height = height;
        Width = width;
        size = new[] { height, width };
    }

    /// <summary>The output height.</summary>
    public long Height { get; }

    /// <summary>The output width.</summary>
    public long Width { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return nn.functional.interpolate(input, size, mode: InterpolationMode.Bilinear, align_corners: false);
    }
}

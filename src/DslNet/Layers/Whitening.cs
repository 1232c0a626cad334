using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DslNet.Layers;

/// <summary>
/// <c>[Whiten]</c>: a frozen patch-whitening convolution, airbench's first layer (Keller Jordan's
/// <c>init_whitening_conv</c>). Its weight [2·C·k², C, k, k] is a persistent buffer, so it never trains but is saved,
/// loaded, backed up and exported with the weights (non-trainable parameters, as Keras counts a weight added with
/// <c>trainable=False</c>); the optional bias [2·C·k²] is a parameter and trains. No padding, stride 1:
/// <c>(C, H, W)</c> → <c>(2·C·k², H − k + 1, W − k + 1)</c>. Before <see cref="Adapt"/> the weight is zero
/// (<see cref="IsAdapted"/> false).
/// </summary>
public sealed class Whitening : nn.Module<Tensor, Tensor>
{
    /// <summary>The number of training images the weights are computed from (the first ones): airbench's 5,000.</summary>
    public const int AdaptedSamples = 5000;

    // Images per chunk while adapting: bounds the memory of the layers run before it and of the patches.
    private const int Chunk = 250;

    private readonly Tensor weight;
    private readonly Parameter? bias;

    /// <summary>Creates the layer for <paramref name="channels"/> input channels and <paramref name="kernel"/> × <paramref name="kernel"/> patches (weight and bias zero).</summary>
    public Whitening(long channels, long kernel, double epsilon, bool useBias = true) : base(nameof(Whitening))
    {
        if (channels < 1 || kernel < 1 || !(epsilon > 0) || double.IsInfinity(epsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(kernel), $"Whitening needs channels and kernel ≥ 1 and a finite epsilon > 0; got {channels}, {kernel}, {epsilon}.");
        }

        Channels = channels;
        Kernel = kernel;
        Epsilon = epsilon;
        var patch = channels * kernel * kernel;
        weight = zeros(2 * patch, channels, kernel, kernel);
        register_buffer(nameof(weight), weight);
        if (useBias)
        {
            bias = new Parameter(zeros(2 * patch));
            register_parameter(nameof(bias), bias);
        }
    }

    /// <summary>The input channels C.</summary>
    public long Channels { get; }

    /// <summary>The patch side k.</summary>
    public long Kernel { get; }

    /// <summary>Added to each eigenvalue before its square root divides the eigenvector.</summary>
    public double Epsilon { get; }

    /// <summary>The whitening filters [2·C·k², C, k, k]: the eigenvectors of the patch covariance scaled by 1/√(λ + ε), largest λ first, then their negatives.</summary>
    public Tensor Weight => weight;

    /// <summary>The bias [2·C·k²], or null without one.</summary>
    public Parameter? Bias => bias;

    /// <summary>Whether the weights hold a whitening (computed by <see cref="Adapt"/>, loaded, imported or copied); false while they are all zero.</summary>
    public bool IsAdapted
    {
        get
        {
            using var any = weight.ne(0).any();
            return any.item<bool>();
        }
    }

    /// <summary>The model this layer belongs to, named in its errors (set when the model is built).</summary>
    internal string? ModelName { get; set; }

    /// <summary>
    /// Computes the weights from the first <see cref="AdaptedSamples"/> (or fewer) images of <paramref name="features"/>
    /// [N, …], each chunk of them passed through <paramref name="before"/> (the layers before this one, which the caller runs
    /// in inference mode; null: none) to give maps [n, C, H, W]: every k × k patch (stride 1, no padding) of those maps, its
    /// uncentred covariance Σ = PᵀP / patches (airbench's; accumulated in float64), Σ's eigenvectors v (largest eigenvalue
    /// λ first) as filters v / √(λ + ε), then their negatives. The bias is left as it is.
    /// </summary>
    public void Adapt(Tensor features, Func<Tensor, Tensor>? before = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        var name = ModelName is null ? string.Empty : ModelName + ": ";
        var count = Math.Min(features.shape.Length == 0 ? 0 : features.shape[0], AdaptedSamples);
        if (count < 1)
        {
            throw new ArgumentException($"{name}[Whiten] needs at least one training image to compute its weights from; got {Dataset.ShapeText(features.shape)}.", nameof(features));
        }

        var patch = Channels * Kernel * Kernel;
        using var noGrad = no_grad();
        using var covariance = zeros(new[] { patch, patch }, float64, weight.device);
        long patches = 0;
        for (long start = 0; start < count; start += Chunk)
        {
            using var scope = NewDisposeScope();
            var x = features[TensorIndex.Slice(start, Math.Min(start + Chunk, count))].to(weight.device);
            x = before?.Invoke(x) ?? x;
            if (x.dim() != 4 || x.shape[1] != Channels || x.shape[2] < Kernel || x.shape[3] < Kernel)
            {
                throw new ArgumentException(
                    $"{name}[Whiten] takes maps [N, {Channels}, H, W] with H and W ≥ {Kernel}; the training images reach it as {Dataset.ShapeText(x.shape)}.", nameof(features));
            }

            // [n, C, H', W', k, k] → one row per patch, in the conv weight's (C, k, k) order.
            var rows = x.unfold(2, Kernel, 1).unfold(3, Kernel, 1).permute(0, 2, 3, 1, 4, 5).reshape(-1, patch).to(float64);
            covariance.add_(rows.t().matmul(rows));
            patches += rows.shape[0];
        }

        covariance.div_(patches);
        var (eigenvalues, eigenvectors) = linalg.eigh(covariance);
        using (eigenvalues)
        using (eigenvectors)
        {
            using var scope = NewDisposeScope();
            // eigh sorts ascending: flipped, the first filter whitens the direction of largest variance (airbench's order).
            var filters = eigenvectors.flip(1).t() / (eigenvalues.flip(0).clamp_min(0) + Epsilon).sqrt().unsqueeze(1);
            var shaped = filters.reshape(patch, Channels, Kernel, Kernel);
            weight.copy_(cat(new[] { shaped, -shaped }).to(weight.dtype));
        }
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return nn.functional.conv2d(input, weight, bias);
    }
}

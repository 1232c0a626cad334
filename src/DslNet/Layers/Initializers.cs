using TorchSharp;
using static TorchSharp.torch;

namespace DslNet.Layers;

/// <summary>
/// Keras' kernel initializers for a torch weight of shape [out, in] (fan_in = in, fan_out = out).
/// The normal ones are truncated as in Keras: drawn from N(0, s²) cut at ±2s, with s chosen so that the standard
/// deviation after truncation is the target sqrt(scale / fan).
/// </summary>
public static class Initializers
{
    /// <summary>Std of a standard normal truncated to [−2, 2] (Keras' correction constant).</summary>
    public const double TruncatedNormalStd = 0.87962566103423978;

    /// <summary>Fills <paramref name="weight"/> in place with <paramref name="init"/> (never <see cref="Init.Auto"/>), drawing from <paramref name="generator"/>.</summary>
    public static void Apply(Tensor weight, Init init, Generator generator, double value = 0)
    {
        ArgumentNullException.ThrowIfNull(weight);
        var (fanIn, fanOut) = Fans(weight);
        using var noGrad = torch.no_grad();
        switch (init)
        {
            case Init.He:
                TruncatedNormal(weight, Math.Sqrt(2.0 / fanIn), generator);
                break;
            case Init.HeUniform:
                Uniform(weight, Math.Sqrt(6.0 / fanIn), generator);
                break;
            case Init.LeCun:
                TruncatedNormal(weight, Math.Sqrt(1.0 / fanIn), generator);
                break;
            case Init.LeCunUniform:
                Uniform(weight, Math.Sqrt(3.0 / fanIn), generator);
                break;
            case Init.Glorot:
                Uniform(weight, Math.Sqrt(6.0 / (fanIn + fanOut)), generator);
                break;
            case Init.GlorotNormal:
                TruncatedNormal(weight, Math.Sqrt(2.0 / (fanIn + fanOut)), generator);
                break;
            case Init.Zeros:
                weight.zero_();
                break;
            case Init.Constant:
                weight.fill_(value);
                break;
            case Init.Dirac:
                Dirac(weight);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(init), init, "Resolve Init.Auto to a concrete initializer first.");
        }
    }

    /// <summary>Truncated normal whose standard deviation after truncation at ±2 raw std is <paramref name="targetStd"/>.</summary>
    public static void TruncatedNormal(Tensor weight, double targetStd, Generator generator)
    {
        // Rejection sampling, as TensorFlow's truncated_normal: redraw every value beyond ±2 raw std (about 4.6% per pass).
        var raw = targetStd / TruncatedNormalStd;
        using var scope = NewDisposeScope();
        using var noGrad = torch.no_grad();
        var values = torch.empty_like(weight).normal_(0, raw, generator);
        for (var outside = values.abs().gt(2 * raw); outside.any().item<bool>(); outside = values.abs().gt(2 * raw))
        {
            var redrawn = torch.empty_like(weight).normal_(0, raw, generator);
            values = torch.where(outside, redrawn, values);
        }

        weight.copy_(values);
    }

    /// <summary>
    /// torch's <c>dirac_</c> (one group): zeros, then w[i, i, k₁ / 2, k₂ / 2, …] = 1 for i &lt; min(out, in); for a dense
    /// [out, in] weight the identity matrix (torch's <c>eye_</c>). Output i then copies input i.
    /// </summary>
    public static void Dirac(Tensor weight)
    {
        ArgumentNullException.ThrowIfNull(weight);
        _ = Fans(weight);
        using var noGrad = torch.no_grad();
        weight.zero_();
        var centre = weight;
        while (centre.dim() > 2)
        {
            centre = centre.select(2, centre.shape[2] / 2);
        }

        centre.copy_(torch.eye(weight.shape[0], weight.shape[1], weight.dtype, weight.device));
    }

    // Tensor.uniform_/normal_ honour the generator; TorchSharp 0.107's nn.init.normal_/uniform_ ignore it (seeds would not reproduce).
    private static void Uniform(Tensor weight, double limit, Generator generator) => weight.uniform_(-limit, limit, generator);

    private static (long FanIn, long FanOut) Fans(Tensor weight)
    {
        if (weight.dim() < 2)
        {
            throw new ArgumentException($"A kernel initializer needs a weight of rank ≥ 2, got shape {Dataset.ShapeText(weight.shape)}.", nameof(weight));
        }

        var receptive = weight.shape.Skip(2).Aggregate(1L, (a, b) => a * b);
        return (weight.shape[1] * receptive, weight.shape[0] * receptive);
    }
}

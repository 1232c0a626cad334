using TorchSharp;
using static TorchSharp.torch;

namespace DslNet.Layers;

/// <summary>
/// Per-feature standardization (Keras <c>Normalization</c>): <c>(x − mean) / max(std, 1e-7)</c>, with the mean and the
/// standard deviation (ddof 0) computed from the training features by <see cref="Adapt"/>. Both are persistent buffers,
/// so they are saved and loaded with the weights. Before <see cref="Adapt"/> it is the identity (mean 0, std 1).
/// </summary>
public sealed class Standardization : nn.Module<Tensor, Tensor>
{
    private const double Epsilon = 1e-7;
    private const int ChunkSize = 4096;
    private readonly Tensor mean;
    private readonly Tensor std;

    /// <summary>Creates the layer for per-sample features of the given shape.</summary>
    public Standardization(params long[] featureShape) : base(nameof(Standardization))
    {
        mean = zeros(featureShape);
        std = ones(featureShape);
        register_buffer(nameof(mean), mean);
        register_buffer(nameof(std), std);
    }

    /// <summary>The per-feature mean.</summary>
    public Tensor Mean => mean;

    /// <summary>The per-feature standard deviation (population, ddof 0).</summary>
    public Tensor Std => std;

    /// <summary>Computes the statistics from <paramref name="features"/> [N, …], in float64, a chunk of samples at a time.</summary>
    public void Adapt(Tensor features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.dim() != mean.dim() + 1 || !features.shape.Skip(1).SequenceEqual(mean.shape) || features.shape[0] < 1)
        {
            throw new ArgumentException(
                $"Standardization expects training features of shape [N, {string.Join(", ", mean.shape)}] with N ≥ 1, got {Dataset.ShapeText(features.shape)}.",
                nameof(features));
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var count = features.shape[0];
        var sum = zeros(mean.shape, ScalarType.Float64, features.device);
        var sumOfSquares = zeros(mean.shape, ScalarType.Float64, features.device);
        for (long start = 0; start < count; start += ChunkSize)
        {
            using var chunkScope = NewDisposeScope();
            var chunk = features.narrow(0, start, Math.Min(ChunkSize, count - start)).to(ScalarType.Float64);
            sum.add_(chunk.sum(0));
            sumOfSquares.add_(chunk.square().sum(0));
        }

        var average = sum / count;
        var variance = (sumOfSquares / count - average.square()).clamp_min(0);
        mean.copy_(average.to(mean.dtype).to(mean.device));
        std.copy_(variance.sqrt().to(std.dtype).to(std.device));
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => (input - mean) / std.clamp_min(Epsilon);
}

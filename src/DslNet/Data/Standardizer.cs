using static TorchSharp.torch;

namespace DslNet.Data;

/// <summary>
/// Per-feature standardization, <c>(x − mean) / std</c>, with the mean and standard deviation of every pixel of every
/// channel computed from a training set (the book's <c>X_train.mean(axis=0)</c>, <c>X_train.std(axis=0)</c>: population
/// standard deviation, ddof 0). A constant feature has std 0: it is divided by <see cref="MinStd"/> (1e-7) instead,
/// exactly as Keras' <c>Normalization</c> layer does (<c>max(sqrt(variance), epsilon)</c>), so it maps to 0.
/// </summary>
public sealed class Standardizer : IDisposable
{
    /// <summary>The smallest standard deviation divided by (Keras' backend epsilon).</summary>
    public const double MinStd = 1e-7;

    /// <summary>How many samples are converted to float64 at a time while fitting (bounds the extra memory).</summary>
    private const int ChunkSamples = 1024;

    private Standardizer(Tensor mean, Tensor std)
    {
        Mean = mean;
        Std = std;
    }

    /// <summary>The per-feature mean, float32, shaped like one sample (e.g. <c>[3, 32, 32]</c>).</summary>
    public Tensor Mean { get; }

    /// <summary>The per-feature standard deviation (ddof 0, at least <see cref="MinStd"/>), float32, shaped like one sample.</summary>
    public Tensor Std { get; }

    /// <summary>
    /// Computes the statistics of <paramref name="features"/> <c>[N, …]</c> (e.g. <c>[N, C, H, W]</c>) over the sample
    /// dimension. Accumulates in float64, a chunk of samples at a time, with two passes (mean, then squared deviations)
    /// so that the result is accurate and memory stays near the input's size.
    /// </summary>
    public static Standardizer Fit(Tensor features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.dim() < 2 || features.shape[0] < 1)
        {
            throw new ArgumentException(
                $"Standardizer.Fit needs features shaped [N, …] with at least one sample; got {Dataset.ShapeText(features.shape)}.", nameof(features));
        }

        Training.InputValidation.CheckFinite(features, "features");
        using var scope = NewDisposeScope();
        var count = features.shape[0];
        var sampleShape = features.shape[1..];
        // One float64 buffer reused by every chunk: in-place work, because allocating fresh large tensors per chunk costs
        // several times more than the arithmetic.
        var buffer = empty([Math.Min(ChunkSamples, count), .. sampleShape], ScalarType.Float64, features.device);
        var sum = zeros(sampleShape, ScalarType.Float64, features.device);
        ForEachChunk(features, buffer, chunk => sum.add_(chunk.sum(dim: 0)));
        var mean = sum.div_(count);

        var squares = zeros_like(mean);
        ForEachChunk(features, buffer, chunk =>
        {
            var deviations = chunk.sub_(mean);
            squares.add_(deviations.mul_(deviations).sum(dim: 0));
        });
        var std = squares.div_(count).sqrt_().clamp_min_(MinStd);

        return new Standardizer(
            mean.to(ScalarType.Float32).MoveToOuterDisposeScope(),
            std.to(ScalarType.Float32).MoveToOuterDisposeScope());
    }

    /// <summary>Standardizes <paramref name="features"/> <c>[N, …]</c> with the fitted statistics; returns a new float32 tensor.</summary>
    public Tensor Transform(Tensor features)
    {
        ArgumentNullException.ThrowIfNull(features);
        var sampleShape = Mean.shape;
        if (features.dim() != sampleShape.Length + 1 || !features.shape[1..].SequenceEqual(sampleShape))
        {
            throw new ArgumentException(
                $"The standardizer was fitted on samples shaped {Dataset.ShapeText(sampleShape)}, but these features are " +
                $"{Dataset.ShapeText(features.shape)}; pass features shaped [N, {string.Join(", ", sampleShape)}].{Training.InputValidation.ShapeHint("the standardizer", features.shape, sampleShape)}",
                nameof(features));
        }

        using var scope = NewDisposeScope();
        var result = features.to(ScalarType.Float32).sub(Mean.to(features.device)).div_(Std.to(features.device));
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>A data set with standardized features and the same labels (and sample weights).</summary>
    public Dataset Transform(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Dataset.With(Transform(data.Features), data.Labels, data.Weights);
    }

    /// <summary>Releases the statistics' tensors.</summary>
    public void Dispose()
    {
        Mean.Dispose();
        Std.Dispose();
    }

    /// <summary>
    /// Calls <paramref name="accumulate"/> with consecutive chunks of samples, each copied (as float64) into
    /// <paramref name="buffer"/>; the chunk may be changed in place, the caller's features never are.
    /// </summary>
    private static void ForEachChunk(Tensor features, Tensor buffer, Action<Tensor> accumulate)
    {
        var count = features.shape[0];
        var chunkSamples = buffer.shape[0];
        for (long start = 0; start < count; start += chunkSamples)
        {
            using var chunkScope = NewDisposeScope();
            var length = Math.Min(chunkSamples, count - start);
            var chunk = buffer.narrow(0, 0, length);
            chunk.copy_(features.narrow(0, start, length));
            accumulate(chunk);
        }
    }
}

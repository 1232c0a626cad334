using TorchSharp;
using static TorchSharp.torch;

namespace DslNet;

/// <summary>
/// Features and labels with the same first (sample) dimension. Features are float32 of shape [N, …];
/// labels are int64 class indices [N] (classification) or float32 targets [N, …] (regression). Optional sample
/// weights (Keras' <c>sample_weight</c>), one number ≥ 0 per sample, scale each sample's loss.
/// </summary>
public sealed class Dataset
{
    /// <summary>Pairs features with labels; both must have the same number of samples.</summary>
    public Dataset(Tensor features, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (features.dim() < 1 || labels.dim() < 1 || features.shape[0] != labels.shape[0])
        {
            throw new ArgumentException(
                $"A dataset needs as many labels as samples: features have shape {ShapeText(features.shape)}, labels {ShapeText(labels.shape)}. " +
                "Pass labels whose first dimension equals the number of samples.",
                nameof(labels));
        }

        Features = features;
        Labels = labels;
    }

    /// <summary>
    /// Pairs features with labels and a weight per sample (Keras' <c>sample_weight</c>): each sample's loss is multiplied
    /// by its weight before the batch mean, in <c>Fit</c> and <c>Evaluate</c>. Weights are <c>[N]</c> or <c>[N, 1]</c>, finite and ≥ 0.
    /// </summary>
    public Dataset(Tensor features, Tensor labels, Tensor weights)
        : this(features, labels)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.dim() < 1 || weights.shape[0] != features.shape[0])
        {
            throw new ArgumentException(
                $"A dataset needs one sample weight per sample: features have shape {ShapeText(features.shape)}, sample weights {ShapeText(weights.shape)}. " +
                "Pass weights of shape [N] (or [N, 1]) with N the number of samples.",
                nameof(weights));
        }

        Weights = weights;
    }

    /// <summary>The features, [N, …].</summary>
    public Tensor Features { get; }

    /// <summary>The labels, [N] or [N, …].</summary>
    public Tensor Labels { get; }

    /// <summary>The weight of each sample, [N] (or [N, 1]); null when every sample weighs 1.</summary>
    public Tensor? Weights { get; }

    /// <summary>The number of samples.</summary>
    public int Count => checked((int)Features.shape[0]);

    /// <summary>The samples from <paramref name="start"/> (inclusive) to <paramref name="end"/> (exclusive), sharing storage.</summary>
    public Dataset Slice(int start, int end)
    {
        if (start < 0 || end > Count || start > end)
        {
            throw new ArgumentOutOfRangeException(nameof(start), $"Cannot slice [{start}, {end}) from a dataset of {Count} samples.");
        }

        return With(Features.narrow(0, start, end - start), Labels.narrow(0, start, end - start), Weights?.narrow(0, start, end - start));
    }

    /// <summary>Range indexing, e.g. <c>data[..5000]</c>.</summary>
    public Dataset this[Range range]
    {
        get
        {
            var (offset, length) = range.GetOffsetAndLength(Count);
            return Slice(offset, offset + length);
        }
    }

    /// <summary>The first <paramref name="count"/> samples.</summary>
    public Dataset Take(int count) => Slice(0, Math.Min(count, Count));

    /// <summary>
    /// Writes the features to <c>{name}_x.npy</c> and the labels to <c>{name}_y.npy</c> in <paramref name="directory"/>
    /// (created if missing), in NumPy's <c>.npy</c> format (version 1.0): features as little-endian float32, integer labels
    /// as int64, float targets as float32, each file atomically. <c>numpy.load</c> reads them, and so does the
    /// <c>train.py</c> that <c>ExportPyTorch</c> writes (<c>SaveNumpy(dir, "train")</c>, <c>SaveNumpy(dir, "valid")</c>).
    /// </summary>
    public void SaveNumpy(string directory, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name.Contains('/') || name.Contains('\\'))
        {
            throw new ArgumentException($"'{name}' is not a file name stem: pass a name such as \"train\" (the files are {{name}}_x.npy and {{name}}_y.npy).", nameof(name));
        }

        Directory.CreateDirectory(directory);
        IO.NumpyFile.Save(Features, Path.Combine(directory, name + "_x.npy"));
        IO.NumpyFile.Save(Labels, Path.Combine(directory, name + "_y.npy"));
    }

    /// <summary>Moves features and labels to <paramref name="device"/>.</summary>
    public Dataset To(Device device) => With(Features.to(device), Labels.to(device), Weights?.to(device));

    /// <summary>A data set of <paramref name="features"/>, <paramref name="labels"/> and, when not null, <paramref name="weights"/>.</summary>
    internal static Dataset With(Tensor features, Tensor labels, Tensor? weights) =>
        weights is null ? new Dataset(features, labels) : new Dataset(features, labels, weights);

    internal static string ShapeText(ReadOnlySpan<long> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";
}

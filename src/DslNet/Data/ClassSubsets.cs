using static TorchSharp.torch;

namespace DslNet;

/// <summary>Class subsets of a labelled data set, e.g. the chapter's transfer-learning tasks (8 classes for model A, 2 for model B).</summary>
public static class ClassSubsets
{
    /// <summary>
    /// The samples whose label is one of <paramref name="classes"/>, in their original order, relabelled by position in
    /// <paramref name="classes"/> (so <c>OfClasses(3, 5)</c> gives cats label 0 and dogs label 1), with their sample weights if any. Labels must be integers.
    /// </summary>
    public static Dataset OfClasses(this Dataset data, params int[] classes)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(classes);
        if (classes.Length == 0 || classes.Any(c => c < 0) || classes.Distinct().Count() != classes.Length)
        {
            throw new ArgumentException($"Give at least one class, each once and ≥ 0; got [{string.Join(", ", classes)}].", nameof(classes));
        }

        if (data.Labels.dtype is not (ScalarType.Int64 or ScalarType.Int32) || data.Labels.dim() != 1)
        {
            throw new ArgumentException($"OfClasses needs integer class labels of shape [N]; got {data.Labels.dtype} {Dataset.ShapeText(data.Labels.shape)}.", nameof(data));
        }

        using var scope = NewDisposeScope();
        var labels = data.Labels.to_type(ScalarType.Int64);
        var size = Math.Max(classes.Max(), labels.numel() == 0 ? 0 : labels.max().item<long>()) + 1;
        var lookup = full(size, -1L, ScalarType.Int64, labels.device);
        for (var i = 0; i < classes.Length; i++)
        {
            lookup[classes[i]] = tensor((long)i);
        }

        var mapped = lookup.index_select(0, labels);
        var kept = nonzero(mapped.ge(0)).reshape(-1);
        var features = data.Features.index_select(0, kept).DetachFromDisposeScope();
        var relabelled = mapped.index_select(0, kept).to_type(data.Labels.dtype).DetachFromDisposeScope();
        var weights = data.Weights?.index_select(0, kept.to(data.Weights.device)).DetachFromDisposeScope();
        return Dataset.With(features, relabelled, weights);
    }
}

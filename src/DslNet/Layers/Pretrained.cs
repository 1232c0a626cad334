using System.ComponentModel;
using TorchSharp;
using static TorchSharp.torch;

namespace DslNet.Layers;

/// <summary>
/// Copies reused layers' weights from a pretrained model into a new one (the generated <c>FromPretrained</c>), like
/// Keras' <c>clone_model</c> + <c>set_weights</c>: every parameter and buffer (batch-norm moving statistics,
/// standardization statistics) under a layer's field name is copied, so the source stays untouched.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Pretrained
{
    /// <summary>
    /// For each (source field, target field) pair, copies <paramref name="source"/>'s state entries
    /// <c>field.*</c> into <paramref name="target"/>'s <c>targetField.*</c>. A layer without weights on both sides (pooling,
    /// Flatten, dropout, augmentation) has nothing to copy and is taken as it is.
    /// </summary>
    /// <exception cref="InvalidOperationException">A layer's entries differ in name or shape: the source was built from another declaration.</exception>
    public static void CopyLayers(nn.Module source, nn.Module target, params (string Source, string Target)[] layers)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(layers);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var from = source.state_dict();
        var to = target.state_dict();
        var sourceName = source.GetName();
        var targetName = target.GetName();
        foreach (var (sourceField, targetField) in layers)
        {
            var sourceEntries = Entries(from, sourceField);
            var targetEntries = Entries(to, targetField);
            if (!sourceEntries.Keys.OrderBy(k => k, StringComparer.Ordinal).SequenceEqual(targetEntries.Keys.OrderBy(k => k, StringComparer.Ordinal)))
            {
                throw new InvalidOperationException(
                    $"{targetName} cannot take layer '{sourceField}' of {sourceName}: {sourceName}'s '{sourceField}' holds {Listed(sourceEntries.Keys)} " +
                    $"where {targetName}'s '{targetField}' holds {Listed(targetEntries.Keys)}. Was the {sourceName} given built from another declaration?");
            }

            foreach (var (key, value) in sourceEntries)
            {
                var destination = targetEntries[key];
                if (!destination.shape.SequenceEqual(value.shape))
                {
                    throw new InvalidOperationException(
                        $"{targetName} cannot take layer '{sourceField}' of {sourceName}: {sourceName}'s '{sourceField}.{key}' has shape {Dataset.ShapeText(value.shape)} " +
                        $"where {targetName}'s '{targetField}.{key}' has {Dataset.ShapeText(destination.shape)}. Was the {sourceName} given built from another declaration?");
                }

                destination.copy_(value);
            }
        }
    }

    private static string Listed(IEnumerable<string> keys)
    {
        var list = keys.OrderBy(k => k, StringComparer.Ordinal).ToList();
        return list.Count == 0 ? "no weights" : "[" + string.Join(", ", list) + "]";
    }

    private static Dictionary<string, Tensor> Entries(Dictionary<string, Tensor> state, string field) => state
        .Where(entry => entry.Key.StartsWith(field + ".", StringComparison.Ordinal))
        .ToDictionary(entry => entry.Key.Substring(field.Length + 1), entry => entry.Value, StringComparer.Ordinal);
}

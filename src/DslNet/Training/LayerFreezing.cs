using System.ComponentModel;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DslNet.Training;

/// <summary>
/// Which layers of a generated model are frozen (Keras' <c>layer.trainable = False</c>). A frozen layer's parameters do
/// not require gradients, so <see cref="Optimizer"/> leaves them out (no gradient, no optimizer state, no weight decay),
/// <see cref="Penalties"/> and <see cref="Constraints"/> skip them, and a frozen batch-norm layer runs in inference mode
/// while the model trains. Generated code calls it; users call the model's <c>Freeze</c> / <c>Unfreeze</c>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class LayerFreezing
{
    private readonly string modelName;
    private readonly Dictionary<string, FreezableLayer> layers = new(StringComparer.Ordinal);

    /// <summary>Tracks <paramref name="layers"/> of the model <paramref name="modelName"/> and applies their declared state.</summary>
    public LayerFreezing(string modelName, params FreezableLayer[] layers)
    {
        ArgumentNullException.ThrowIfNull(modelName);
        ArgumentNullException.ThrowIfNull(layers);
        this.modelName = modelName;
        foreach (var layer in layers)
        {
            ArgumentNullException.ThrowIfNull(layer, nameof(layers));
            this.layers.Add(layer.Name, layer);
            Apply(layer);
        }
    }

    /// <summary>The layers that can be frozen, by field name, in layer order.</summary>
    public IEnumerable<string> Names => layers.Keys;

    /// <summary>Whether <paramref name="layer"/> is frozen.</summary>
    public bool IsFrozen(string layer) => Find(layer).Frozen;

    /// <summary>
    /// Freezes (<paramref name="frozen"/> true) or unfreezes each of <paramref name="names"/>; true when some layer changed,
    /// so the model starts a fresh optimizer (the book compiles the model again after a change of <c>trainable</c>).
    /// </summary>
    public bool Set(bool frozen, params string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var changed = names.Select(Find).Where(layer => layer.Frozen != frozen).ToList();
        foreach (var layer in changed)
        {
            layer.Frozen = frozen;
            Apply(layer);
        }

        return changed.Count > 0;
    }

    /// <summary>Called after the model is put in training mode: frozen batch-norm layers go back to inference mode, as in Keras.</summary>
    public void KeepFrozenNormsInInference()
    {
        foreach (var layer in layers.Values.Where(layer => layer.Frozen))
        {
            foreach (var module in layer.Modules.Where(IsBatchNorm))
            {
                module.eval();
            }
        }
    }

    private FreezableLayer Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return layers.TryGetValue(name, out var layer)
            ? layer
            : throw new ArgumentException(
                $"{modelName} has no layer with weights named '{name}'; the layers that can be frozen are {string.Join(", ", layers.Keys)}.", nameof(name));
    }

    private static void Apply(FreezableLayer layer)
    {
        foreach (var module in layer.Modules)
        {
            foreach (var parameter in module.parameters())
            {
                parameter.requires_grad = !layer.Frozen;
            }
        }
    }

    private static bool IsBatchNorm(nn.Module module) => module is BatchNorm1d or BatchNorm2d or BatchNorm3d;
}

/// <summary>One layer that can be frozen: its field name, the modules that hold its weights, and whether it starts frozen.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class FreezableLayer
{
    /// <summary>Declares the layer <paramref name="name"/> made of <paramref name="modules"/> (e.g. a Dense and its own batch norm).</summary>
    public FreezableLayer(string name, bool frozen, params nn.Module[] modules)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(modules);
        Name = name;
        Frozen = frozen;
        Modules = modules;
    }

    /// <summary>The layer's field name.</summary>
    public string Name { get; }

    /// <summary>Whether the layer is frozen now.</summary>
    public bool Frozen { get; internal set; }

    /// <summary>The modules that hold the layer's weights.</summary>
    public IReadOnlyList<nn.Module> Modules { get; }
}

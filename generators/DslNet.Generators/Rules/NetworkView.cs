using System.Collections.Generic;
using System.Linq;
using DslNet.Generators.Model;

namespace DslNet.Generators.Rules;

/// <summary>
/// The planned network as the rules see it: which layers are hidden, which nonlinearity each Dense layer feeds
/// (its own activation, or the [Activation] that follows a linear Dense), and whether the network is a SELU one.
/// </summary>
internal sealed class NetworkView
{
    private readonly Dictionary<int, int> repeats;

    /// <summary>For each layer inside a residual unit (by its qualified field name): the unit and the index of its path's last layer.</summary>
    private readonly Dictionary<string, (LayerSpec Unit, int PathEnd)> insideUnits = new();

    public NetworkView(ModelSpec model)
    {
        Model = model;
        var layers = Flatten(model.Layers);
        Layers = layers;
        OutputIndex = FindOutputIndex(layers);
        repeats = model.Layers.Where(layer => layer.DeclarationIndex >= 0)
            .GroupBy(layer => layer.DeclarationIndex)
            .ToDictionary(group => group.Key, group => group.Count());
        HiddenActivations = FindHiddenActivations().ToList();
        IsSeluNetwork = HiddenActivations.Any(hidden => hidden.Act == Act.SELU);
        HasBatchNorm = Layers.Any(layer => layer.Kind == LayerKind.BatchNorm || (IsWeighted(layer) && layer.BatchNorm));
    }

    public ModelSpec Model { get; }

    /// <summary>
    /// The layers in forward order, those inside residual units too: a unit's main path, then its shortcut (field names
    /// qualified, <c>residual1.conv1</c>), then the unit itself, which stands for the sum and its activation.
    /// </summary>
    public IReadOnlyList<LayerSpec> Layers { get; }

    /// <summary>The residual units.</summary>
    public IEnumerable<LayerSpec> Units => Layers.Where(layer => layer.Kind == LayerKind.Residual);

    /// <summary>The unit a layer belongs to, or null for a layer of the chain.</summary>
    public LayerSpec? UnitOf(LayerSpec layer) => insideUnits.TryGetValue(layer.FieldName, out var inside) ? inside.Unit : null;

    /// <summary>Index of the layer that produces the output: the last Dense, else the last activation, else past the end.</summary>
    public int OutputIndex { get; }

    /// <summary>Every nonlinearity applied before the output layer, with the layer that declares it.</summary>
    public IReadOnlyList<HiddenActivation> HiddenActivations { get; }

    /// <summary>At least one hidden layer is SELU: the DSL1xx rules apply.</summary>
    public bool IsSeluNetwork { get; }

    public bool HasBatchNorm { get; }

    public bool IsHidden(int index) => index < OutputIndex;

    /// <summary>A layer with a kernel, an activation and an optional built-in batch norm: Dense or Conv2D.</summary>
    public static bool IsWeighted(LayerSpec layer) => layer.Kind is LayerKind.Dense or LayerKind.Conv2D;

    private List<LayerSpec> Flatten(IEnumerable<LayerSpec> layers)
    {
        var flat = new List<LayerSpec>();
        foreach (var layer in layers)
        {
            if (layer.Kind != LayerKind.Residual)
            {
                flat.Add(layer);
                continue;
            }

            foreach (var path in new[] { layer.Main, layer.Shortcut })
            {
                var qualified = path.Select(inner => inner with { FieldName = layer.FieldName + "." + inner.FieldName }).ToList();
                var end = flat.Count + qualified.Count - 1;
                foreach (var inner in qualified)
                {
                    insideUnits[inner.FieldName] = (layer, end);
                    flat.Add(inner);
                }
            }

            flat.Add(layer);
        }

        return flat;
    }

    /// <summary>Declared (not implicit) layers of the given kinds, one per declaring attribute.</summary>
    public IEnumerable<LayerSpec> Declared(params LayerKind[] kinds) => Layers
        .Where(layer => layer.DeclarationIndex >= 0 && kinds.Contains(layer.Kind))
        .GroupBy(layer => layer.DeclarationIndex)
        .Select(group => group.First());

    /// <summary>
    /// The nonlinearity a Dense or Conv2D layer's outputs go through: its own activation, or when it is linear the
    /// [Activation] that follows it (across batch norm, dropout and pooling), as in the book's Dense → BatchNorm → Activation.
    /// </summary>
    public Act EffectiveActivation(int denseIndex)
    {
        var dense = Layers[denseIndex];
        return dense.Act != Act.Linear ? dense.Act : FollowingActivation(denseIndex) ?? Act.Linear;
    }

    /// <summary>The layer in the user's words: <c>layer 3 (Dense 100 × 20, SELU)</c>.</summary>
    public string Describe(LayerSpec layer)
    {
        var times = repeats.TryGetValue(layer.DeclarationIndex, out var count) && count > 1 ? $" × {count}" : string.Empty;
        if (UnitOf(layer) is { } unit)
        {
            // A layer inside a unit is named by the unit's attribute and the layer's place in it.
            return $"layer {unit.Position} (Residual {Kinds.ResidualLayer.Size(unit)}{times}, its {layer.FieldName.Substring(unit.FieldName.Length + 1)})";
        }

        var what = LayerKinds.Of(layer).DescribeForRules(layer, times);
        return $"layer {layer.Position} ({what})";
    }

    /// <summary>
    /// One entry per nonlinearity before the output layer, at the layer that declares it: a Dense's own activation,
    /// an [Activation] layer, or a linear Dense that no [Activation] follows (which then applies none).
    /// </summary>
    private IEnumerable<HiddenActivation> FindHiddenActivations()
    {
        for (var i = 0; i < OutputIndex; i++)
        {
            var layer = Layers[i];
            if (layer.Kind is LayerKind.Activation or LayerKind.Residual || (IsWeighted(layer) && (layer.Act != Act.Linear || FollowingActivation(i) is null)))
            {
                yield return new HiddenActivation(layer, layer.Act);
            }
        }
    }

    private Act? FollowingActivation(int denseIndex)
    {
        // Inside a unit the search ends with the layer's path; what follows the path is the unit's activation after the sum.
        var inUnit = insideUnits.TryGetValue(Layers[denseIndex].FieldName, out var inside);
        var end = inUnit ? inside.PathEnd + 1 : Layers.Count;
        for (var i = denseIndex + 1; i < end; i++)
        {
            switch (Layers[i].Kind)
            {
                case LayerKind.BatchNorm:
                case LayerKind.Dropout:
                case LayerKind.AlphaDropout:
                case LayerKind.MaxPool:
                case LayerKind.AvgPool:
                    continue;
                case LayerKind.Activation:
                    return Layers[i].Act;
                default:
                    return null;
            }
        }

        return inUnit && inside.Unit.Act != Act.Linear ? inside.Unit.Act : null;
    }

    private static int FindOutputIndex(List<LayerSpec> layers)
    {
        var output = layers.FindIndex(layer => layer.IsOutput);
        if (output >= 0)
        {
            return output;
        }

        var last = NetworkFacts.LastActivationLayer(layers);
        return last is null ? layers.Count : layers.LastIndexOf(last);
    }
}

/// <summary>A nonlinearity applied before the output layer: the Dense (or standalone Activation) that declares it.</summary>
internal sealed record HiddenActivation(LayerSpec Layer, Act Act);

using System.Collections.Generic;
using System.Linq;
using DslNet.Generators.Emitting;

namespace DslNet.Generators.Model;

/// <summary>Facts about a planned network that the parser, the rules and the emitters share: sizes, resolved initializers, the output layer, the output kind.</summary>
internal static class NetworkFacts
{
    /// <summary>Init.Auto resolved as Keras users choose: He for the ReLU family and its smooth cousins, LeCun for SELU, Glorot otherwise.</summary>
    public static Init ResolveInit(Init declared, Act act) => declared != Init.Auto ? declared : ActivationForm.Of(act).AutoInit;

    /// <summary>Whether the layer has weights, so it can be frozen (Dense, Conv2D, BatchNorm, a PReLU or parametric-Swish activation).</summary>
    public static bool HasWeights(LayerSpec layer) => LayerKinds.Of(layer).HasWeights(layer);

    /// <summary>The rows a layer shows in the summary, Flatten aside: a Dense or Conv2D with its own batch norm shows two.</summary>
    public static int SummaryRows(LayerSpec layer) => LayerKinds.Of(layer).ReuseRows(layer);

    /// <summary>Every layer, those inside residual units too (named as the model's code names them: <c>residual1.conv1</c>), in forward order.</summary>
    public static IEnumerable<LayerSpec> AllLayers(IEnumerable<LayerSpec> layers) =>
        layers.SelectMany(layer => layer.Kind == LayerKind.Residual ? AllLayers(Kinds.ResidualLayer.Qualified(layer)) : new[] { layer });

    public static int Product(IEnumerable<int> shape) => shape.Aggregate(1, (a, b) => a * b);

    /// <summary>The network's output activation: the last activation applied, skipping trailing dropout.</summary>
    public static OutputKind OutputKindOf(IReadOnlyList<LayerSpec> layers)
    {
        var last = LastActivationLayer(layers);
        return last is null ? OutputKind.Linear : ActivationForm.Of(last.Act).Output;
    }

    /// <summary>The layer whose activation produces the network's output (a Dense or an Activation), if any.</summary>
    public static LayerSpec? LastActivationLayer(IReadOnlyList<LayerSpec> layers)
    {
        for (var i = layers.Count - 1; i >= 0; i--)
        {
            switch (layers[i].Kind)
            {
                case LayerKind.Dropout:
                case LayerKind.AlphaDropout:
                    continue;
                case LayerKind.Dense:
                case LayerKind.Activation:
                    return layers[i];
                default:
                    return null;
            }
        }

        return null;
    }
}

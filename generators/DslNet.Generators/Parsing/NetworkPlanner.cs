using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using DslNet.Generators.Helpers;
using DslNet.Generators.Kinds;
using DslNet.Generators.Model;

namespace DslNet.Generators.Parsing;

/// <summary>
/// Expands the declared layers into the network that runs: repeats unrolled, a Flatten inserted before a Dense that
/// follows a multi-dimensional shape, shapes inferred, parameters counted and fields named (hidden1…, output), each
/// by the layer's descriptor.
/// </summary>
internal static class NetworkPlanner
{
    public static List<LayerSpec>? Plan(ImmutableArray<int> inputShape, List<DeclaredLayer> declared, List<DiagnosticInfo> diagnostics) =>
        Plan(inputShape, declared, diagnostics, new List<LayerSpec>());

    /// <summary>Plans the network that starts with <paramref name="reused"/> (the layers [Reuse] takes from another model).</summary>
    public static List<LayerSpec>? Plan(ImmutableArray<int> inputShape, List<DeclaredLayer> declared, List<DiagnosticInfo> diagnostics, List<LayerSpec> reused)
    {
        var expanded = new List<LayerSpec>(reused);
        var shape = reused.Count > 0 ? reused[reused.Count - 1].OutputShape.ToArray() : inputShape.ToArray();
        for (var d = 0; d < declared.Count; d++)
        {
            var (template, repeat, _) = declared[d];
            if (template.Kind == LayerKind.Standardize && expanded.Count > 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayerOrder, new DiagnosticSite(template.DeclarationIndex),
                    "[Standardize] must be the first layer: its statistics are computed from the raw training inputs"));
                return null;
            }

            for (var r = 0; r < repeat; r++)
            {
                if (template.Kind == LayerKind.Dense && shape.Length > 1)
                {
                    var flatten = new LayerSpec(LayerKind.Flatten, string.Empty, -1, EquatableArray<int>.Empty, EquatableArray<int>.Empty) { Position = template.Position };
                    var placed = Place(flatten, shape, diagnostics);
                    expanded.Add(placed!);
                    shape = placed!.OutputShape.ToArray();
                }

                var layer = Place(LayerKinds.Of(template).Repeated(template, r), shape, diagnostics);
                if (layer is null)
                {
                    return null;
                }

                if (layer.Kind == LayerKind.Whiten && expanded.FindLast(Trains) is { } trained)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayerOrder, new DiagnosticSite(template.DeclarationIndex),
                        $"[Whiten] computes its frozen weights once, from the training images as they reach it, but {LayerKinds.Of(trained).DescribeForShape(trained)} " +
                        "before it trains and would change those inputs; put [Whiten] before every layer that trains (after [Standardize], augmentation or [Resize]), or declare that layer Trainable = false"));
                    return null;
                }

                expanded.Add(layer);
                shape = layer.OutputShape.ToArray();
            }
        }

        return Name(expanded);
    }

    /// <summary>Whether the layer has weights that train from the start (not declared frozen, not reused).</summary>
    private static bool Trains(LayerSpec layer) => NetworkFacts.HasWeights(layer) && !layer.Frozen && layer.TrainableParameters > 0;

    /// <summary>The layer placed after <paramref name="input"/>: its shapes and parameter counts, or null after DSL006.</summary>
    private static LayerSpec? Place(LayerSpec template, int[] input, List<DiagnosticInfo> diagnostics) =>
        LayerKinds.Of(template).Place(template, input, diagnostics);

    private static List<LayerSpec> Name(List<LayerSpec> layers)
    {
        var lastDense = layers.FindLastIndex(layer => layer.Kind == LayerKind.Dense);
        var counters = new Dictionary<string, int>();
        var totals = layers.GroupBy(layer => LayerKinds.Of(layer).FieldStem).ToDictionary(group => group.Key, group => group.Count());
        for (var i = 0; i < layers.Count; i++)
        {
            if (i == lastDense)
            {
                layers[i] = layers[i] with { FieldName = "output", IsOutput = true };
                continue;
            }

            var kind = LayerKinds.Of(layers[i]);
            var name = kind.FieldStem;
            counters[name] = counters.TryGetValue(name, out var count) ? count + 1 : 1;
            var numbered = kind.AlwaysNumbered || totals[name] > 1;
            layers[i] = layers[i] with { FieldName = numbered ? name + counters[name] : name };
        }

        return ResidualLayer.NameUnitClasses(layers);
    }
}

using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using DslNet.Generators.Helpers;
using DslNet.Generators.Model;

namespace DslNet.Generators.Parsing;

/// <summary>
/// Expands the declared layers into the network that runs: repeats unrolled, a Flatten inserted before a Dense that
/// follows a multi-dimensional shape, shapes inferred, parameters counted and fields named (hidden1…, output).
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
                    expanded.Add(Layer(LayerKind.Flatten, -1, template.Position, shape, new[] { NetworkFacts.Product(shape) }) with { });
                    shape = new[] { NetworkFacts.Product(shape) };
                }

                var output = template.Kind switch
                {
                    LayerKind.Flatten => new[] { NetworkFacts.Product(shape) },
                    LayerKind.Dense => new[] { template.Units },
                    _ => ConvolutionPlanner.OutputShape(template, shape, diagnostics),
                };
                if (output is null)
                {
                    return null;
                }

                expanded.Add(template with
                {
                    InputShape = shape.ToEquatableArray(),
                    OutputShape = output.ToEquatableArray(),
                    TrainableParameters = Trainable(template, shape),
                    NonTrainableParameters = NonTrainable(template, shape),
                });
                shape = output;
            }
        }

        return Name(expanded);
    }

    private static LayerSpec Layer(LayerKind kind, int declarationIndex, int position, int[] input, int[] output) =>
        new(kind, string.Empty, declarationIndex, input.ToEquatableArray(), output.ToEquatableArray()) { Position = position };

    private static long Trainable(LayerSpec layer, int[] input)
    {
        var features = input.Length == 0 ? 0L : input[0];
        switch (layer.Kind)
        {
            case LayerKind.Dense:
                long inFeatures = NetworkFacts.Product(input);
                long count = (inFeatures * layer.Units) + (layer.UseBias ? layer.Units : 0);
                if (layer.BatchNorm)
                {
                    count += 2L * layer.Units;
                }

                return count + ActivationParameters(layer.Act, layer.Units);
            case LayerKind.Conv2D:
                long kernelWeights = (long)features * layer.Kernel * layer.Kernel * layer.Units;
                return kernelWeights + (layer.UseBias ? layer.Units : 0) + (layer.BatchNorm ? 2L * layer.Units : 0) + ActivationParameters(layer.Act, layer.Units);
            case LayerKind.BatchNorm:
                return 2 * features;
            case LayerKind.Activation:
                return ActivationParameters(layer.Act, features);
            default:
                return 0;
        }
    }

    private static long NonTrainable(LayerSpec layer, int[] input) => layer.Kind switch
    {
        LayerKind.Dense or LayerKind.Conv2D when layer.BatchNorm => 2L * layer.Units,
        LayerKind.BatchNorm => 2L * (input.Length == 0 ? 0 : input[0]),
        LayerKind.Standardize => 2L * NetworkFacts.Product(input),
        _ => 0,
    };

    private static long ActivationParameters(Act act, long features) => act switch
    {
        Act.PReLU => features,
        Act.ParametricSwish => 1,
        _ => 0,
    };

    private static List<LayerSpec> Name(List<LayerSpec> layers)
    {
        var lastDense = layers.FindLastIndex(layer => layer.Kind == LayerKind.Dense);
        var counters = new Dictionary<string, int>();
        var totals = layers.GroupBy(BaseName).ToDictionary(group => group.Key, group => group.Count());
        for (var i = 0; i < layers.Count; i++)
        {
            if (i == lastDense)
            {
                layers[i] = layers[i] with { FieldName = "output", IsOutput = true };
                continue;
            }

            var name = BaseName(layers[i]);
            counters[name] = counters.TryGetValue(name, out var count) ? count + 1 : 1;
            var numbered = name == "hidden" || name == "conv" || name == "maxPool" || name == "avgPool" || name == "dropout" || name == "alphaDropout" || name == "batchNorm" || name == "activation" || totals[name] > 1;
            layers[i] = layers[i] with { FieldName = numbered ? name + counters[name] : name };
        }

        return layers;
    }

    private static string BaseName(LayerSpec layer) => layer.Kind switch
    {
        LayerKind.Standardize => "standardize",
        LayerKind.Flatten => "flatten",
        LayerKind.Dense => "hidden",
        LayerKind.BatchNorm => "batchNorm",
        LayerKind.Activation => "activation",
        LayerKind.Dropout => "dropout",
        LayerKind.Conv2D => "conv",
        LayerKind.MaxPool => "maxPool",
        LayerKind.AvgPool => "avgPool",
        LayerKind.GlobalAvgPool => "globalAvgPool",
        LayerKind.RandomFlip => "randomFlip",
        LayerKind.RandomCrop => "randomCrop",
        _ => "alphaDropout",
    };
}

using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DslNet.Generators.Model;

namespace DslNet.Generators.Rules;

/// <summary>
/// DSL207–DSL209: layer orders that studies of faulty Keras models (NeuraLint and its kin) found to waste or hurt training,
/// restricted to the ones that are sound for a declared network: a bias right before batch norm, batch norm after dropout,
/// and a conv stack that never downsamples before a very large Dense.
/// </summary>
internal static class LayerOrderRules
{
    /// <summary>From this many kernel weights on, a Dense after a conv stack that never downsampled is "very large" (DSL209).</summary>
    public const long LargeDenseWeights = 1_000_000;

    public static IEnumerable<DiagnosticInfo> Check(NetworkView view) =>
        BiasBeforeBatchNorm(view).Concat(BatchNormAfterDropout(view)).Concat(NoDownsampling(view));

    /// <summary>DSL207: a Dense or Conv2D with a bias whose output goes straight into batch normalization.</summary>
    private static IEnumerable<DiagnosticInfo> BiasBeforeBatchNorm(NetworkView view)
    {
        var layers = view.Layers;
        for (var i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            if (!NetworkView.IsWeighted(layer) || !layer.UseBias)
            {
                continue;
            }

            if (layer.BatchNorm)
            {
                yield return Create(view, layer, "BatchNorm = true");
            }
            else if (layer.Act == Act.Linear && i + 1 < layers.Count && layers[i + 1].Kind == LayerKind.BatchNorm)
            {
                yield return Create(view, layer, $"the [BatchNorm] of {view.Describe(layers[i + 1])}");
            }
        }

        static DiagnosticInfo Create(NetworkView view, LayerSpec layer, string norm) =>
            DiagnosticInfo.Create(DiagnosticDescriptors.BiasBeforeBatchNorm, new DiagnosticSite(layer.DeclarationIndex, "UseBias"), view.Describe(layer), norm);
    }

    /// <summary>DSL208: a batch norm (standalone or built into a layer) anywhere after a plain dropout layer.</summary>
    private static IEnumerable<DiagnosticInfo> BatchNormAfterDropout(NetworkView view)
    {
        var layers = view.Layers;
        for (var i = 0; i < layers.Count; i++)
        {
            if (layers[i].Kind != LayerKind.Dropout)
            {
                continue;
            }

            var norm = layers.Skip(i + 1).FirstOrDefault(layer => layer.Kind == LayerKind.BatchNorm || (NetworkView.IsWeighted(layer) && layer.BatchNorm));
            if (norm is not null)
            {
                yield return DiagnosticInfo.Create(
                    DiagnosticDescriptors.BatchNormAfterDropout,
                    new DiagnosticSite(layers[i].DeclarationIndex),
                    view.Describe(layers[i]),
                    view.Describe(norm) + (norm.Kind == LayerKind.BatchNorm ? string.Empty : " (BatchNorm = true)"));
            }
        }
    }

    /// <summary>DSL209: a Dense that flattens the full-resolution map of conv layers that never pooled or strided.</summary>
    private static IEnumerable<DiagnosticInfo> NoDownsampling(NetworkView view)
    {
        var layers = view.Layers;
        var trainable = layers.Sum(layer => layer.TrainableParameters);
        for (var i = 0; i < layers.Count; i++)
        {
            var dense = layers[i];
            if (dense.Kind != LayerKind.Dense)
            {
                continue;
            }

            var flatten = i - 1;
            while (flatten >= 0 && layers[flatten].Kind is LayerKind.Dropout or LayerKind.AlphaDropout or LayerKind.Activation or LayerKind.BatchNorm)
            {
                flatten--;
            }

            if (flatten < 0 || layers[flatten].Kind != LayerKind.Flatten || layers[flatten].InputShape.Count != 3)
            {
                continue;
            }

            var before = layers.Take(flatten).ToList();
            var downsamples = before.Any(layer => layer.Kind is LayerKind.MaxPool or LayerKind.AvgPool || (layer.Kind == LayerKind.Conv2D && layer.Stride > 1));
            var weights = (long)NetworkFacts.Product(dense.InputShape) * dense.Units;
            if (!before.Any(layer => layer.Kind == LayerKind.Conv2D) || downsamples || weights < LargeDenseWeights)
            {
                continue;
            }

            var map = layers[flatten].InputShape;
            yield return DiagnosticInfo.Create(
                DiagnosticDescriptors.ConvWithoutDownsampling,
                new DiagnosticSite(dense.DeclarationIndex),
                view.Describe(dense),
                $"{map[0]}×{map[1]}×{map[2]}",
                weights.ToString("N0", CultureInfo.InvariantCulture),
                (100.0 * weights / trainable).ToString("0", CultureInfo.InvariantCulture));
        }
    }
}

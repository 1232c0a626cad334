using System.Collections.Generic;
using System.Linq;
using DslNet.Generators.Model;

namespace DslNet.Generators.Rules;

/// <summary>DSL203–DSL206: activations, momentum and dropout that make a network train badly (chapter 11).</summary>
internal static class TrainingRules
{
    /// <summary>From this many saturating hidden layers on, gradients vanish without batch normalization (DSL206).</summary>
    public const int DeepSaturatingThreshold = 10;

    /// <summary>From this SGD momentum on (below 1, which the parser rejects), the optimizer overshoots and oscillates for a long time (DSL204).</summary>
    public const double HighMomentum = 0.999;

    public static IEnumerable<DiagnosticInfo> Check(NetworkView view)
    {
        foreach (var hidden in view.HiddenActivations.Where(hidden => hidden.Act is Act.Softmax or Act.Sigmoid))
        {
            yield return DiagnosticInfo.Create(
                DiagnosticDescriptors.SaturatingHiddenActivation, SeluRules.ActSite(hidden.Layer), view.Describe(hidden.Layer), hidden.Act.ToString());
        }

        if (!view.IsSeluNetwork)
        {
            foreach (var layer in view.Declared(LayerKind.AlphaDropout))
            {
                yield return DiagnosticInfo.Create(
                    DiagnosticDescriptors.AlphaDropoutWithoutSelu, new DiagnosticSite(layer.DeclarationIndex), view.Describe(layer), ValueText.Format(layer.Rate));
            }
        }

        if (view.Model.Optimizer is { Kind: OptimizerKind.Sgd, Momentum: >= HighMomentum } sgd)
        {
            yield return DiagnosticInfo.Create(
                DiagnosticDescriptors.MomentumTooHigh, new DiagnosticSite(sgd.DeclarationIndex, "Momentum"), ValueText.Format(sgd.Momentum));
        }

        var saturating = view.HiddenActivations.Where(hidden => hidden.Act is Act.Sigmoid or Act.Tanh).ToList();
        if (saturating.Count >= DeepSaturatingThreshold && !view.HasBatchNorm)
        {
            var kinds = saturating.Select(hidden => hidden.Act).Distinct().OrderBy(act => act).Select(act => act == Act.Tanh ? "tanh" : "sigmoid");
            yield return DiagnosticInfo.Create(
                DiagnosticDescriptors.DeepSaturatingNetwork,
                new DiagnosticSite(saturating[0].Layer.DeclarationIndex),
                view.Model.Name,
                saturating.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                string.Join(" and ", kinds));
        }
    }
}

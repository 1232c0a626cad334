using System.Collections.Generic;
using System.Linq;
using DslNet.Generators.Model;

namespace DslNet.Generators.Rules;

/// <summary>
/// DSL101–DSL106: the conditions under which a SELU network self-normalizes (Klambauer et al., 2017, as chapter 11
/// lists them): standardized inputs, LeCun normal initialization, a plain stack of SELU dense layers, and no
/// batch norm, plain dropout, ℓ1, ℓ2 or max-norm.
/// </summary>
internal static class SeluRules
{
    public static IEnumerable<DiagnosticInfo> Check(NetworkView view)
    {
        // DSL101 concerns every SELU layer, even in a network whose only SELU layer is the output.
        foreach (var diagnostic in NotLeCun(view))
        {
            yield return diagnostic;
        }

        if (!view.IsSeluNetwork)
        {
            yield break;
        }

        foreach (var diagnostic in BatchNorm(view).Concat(PlainDropout(view)).Concat(Regularization(view)).Concat(MixedActivations(view)).Concat(ResidualUnits(view)))
        {
            yield return diagnostic;
        }

        if (!view.Model.InputsStandardized && view.Layers[0].Kind != LayerKind.Standardize)
        {
            yield return DiagnosticInfo.Create(DiagnosticDescriptors.SeluInputsNotStandardized, DiagnosticSite.ClassName, view.Model.Name);
        }
    }

    private static IEnumerable<DiagnosticInfo> NotLeCun(NetworkView view)
    {
        for (var i = 0; i < view.Layers.Count; i++)
        {
            var layer = view.Layers[i];
            if (NetworkView.IsWeighted(layer) && view.EffectiveActivation(i) == Act.SELU && layer.Init != Init.LeCun)
            {
                yield return DiagnosticInfo.Create(
                    DiagnosticDescriptors.SeluInitializer, InitRules.InitSite(layer), view.Describe(layer), InitRules.InitName(layer));
            }
        }
    }

    private static IEnumerable<DiagnosticInfo> BatchNorm(NetworkView view)
    {
        foreach (var layer in view.Declared(LayerKind.BatchNorm))
        {
            yield return DiagnosticInfo.Create(DiagnosticDescriptors.SeluBatchNorm, new DiagnosticSite(layer.DeclarationIndex), view.Describe(layer));
        }

        foreach (var layer in view.Declared(LayerKind.Dense, LayerKind.Conv2D).Where(layer => layer.BatchNorm))
        {
            yield return DiagnosticInfo.Create(DiagnosticDescriptors.SeluBatchNorm, new DiagnosticSite(layer.DeclarationIndex, "BatchNorm"), view.Describe(layer));
        }
    }

    private static IEnumerable<DiagnosticInfo> PlainDropout(NetworkView view) => view.Declared(LayerKind.Dropout).Select(layer =>
        DiagnosticInfo.Create(DiagnosticDescriptors.SeluPlainDropout, new DiagnosticSite(layer.DeclarationIndex), view.Describe(layer), ValueText.Format(layer.Rate)));

    private static IEnumerable<DiagnosticInfo> Regularization(NetworkView view)
    {
        foreach (var layer in view.Declared(LayerKind.Dense, LayerKind.Conv2D))
        {
            var used = new List<(string Argument, string Text)>();
            if (layer.L1 > 0)
            {
                used.Add(("L1", "ℓ1 regularization (L1 = " + ValueText.Format(layer.L1) + ")"));
            }

            if (layer.L2 > 0)
            {
                used.Add(("L2", "ℓ2 regularization (L2 = " + ValueText.Format(layer.L2) + ")"));
            }

            if (layer.MaxNorm > 0)
            {
                used.Add(("MaxNorm", "a max-norm constraint (MaxNorm = " + ValueText.Format(layer.MaxNorm) + ")"));
            }

            if (used.Count > 0)
            {
                yield return DiagnosticInfo.Create(
                    DiagnosticDescriptors.SeluRegularization,
                    new DiagnosticSite(layer.DeclarationIndex, used[0].Argument),
                    view.Describe(layer),
                    string.Join(" and ", used.Select(u => u.Text)));
            }
        }
    }

    /// <summary>
    /// DSL106: every hidden nonlinearity must be SELU. A hidden linear Dense counts as mixing too (unless an
    /// [Activation(Act.SELU)] follows it): it is not a SELU layer, and stacked linear maps add nothing.
    /// </summary>
    private static IEnumerable<DiagnosticInfo> MixedActivations(NetworkView view) => view.HiddenActivations
        .Where(hidden => hidden.Act != Act.SELU)
        .Select(hidden => DiagnosticInfo.Create(
            DiagnosticDescriptors.SeluMixedActivations,
            ActSite(hidden.Layer),
            view.Describe(hidden.Layer),
            hidden.Act == Act.Linear ? "no activation (linear)" : hidden.Act.ToString()))
        .Distinct();

    /// <summary>DSL107: a residual unit; the self-normalizing fixed point holds for a plain stack, not for a sum of two paths.</summary>
    private static IEnumerable<DiagnosticInfo> ResidualUnits(NetworkView view) => view.Declared(LayerKind.Residual).Select(unit =>
        DiagnosticInfo.Create(DiagnosticDescriptors.SeluResidualUnit, new DiagnosticSite(unit.DeclarationIndex), view.Describe(unit)));

    /// <summary>Where a layer's activation is written: Act = … on a Dense, the constructor argument of an [Activation].</summary>
    public static DiagnosticSite ActSite(LayerSpec layer) => layer.Kind == LayerKind.Activation
        ? new DiagnosticSite(layer.DeclarationIndex, null, 0)
        : new DiagnosticSite(layer.DeclarationIndex, "Act");
}

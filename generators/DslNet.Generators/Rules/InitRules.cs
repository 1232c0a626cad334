using System.Collections.Generic;
using DslNet.Generators.Model;

namespace DslNet.Generators.Rules;

/// <summary>
/// DSL201 and DSL202: initializers that start training badly, either by making the units of a layer identical
/// or by scaling the weights for another activation than the one the layer uses (chapter 11, table 11-1).
/// </summary>
internal static class InitRules
{
    public static IEnumerable<DiagnosticInfo> Check(NetworkView view)
    {
        var seen = new HashSet<int>();
        for (var i = 0; i < view.Layers.Count; i++)
        {
            var layer = view.Layers[i];
            if (!NetworkView.IsWeighted(layer) || !seen.Add(layer.DeclarationIndex))
            {
                continue;
            }

            if (layer.Init is Init.Zeros or Init.Constant)
            {
                // The output layer's units each get their own error signal from the targets, so a constant start
                // there is harmless (a zero-initialized output layer is a known trick); hidden units get none.
                if (view.IsHidden(i) && layer.Units > 1)
                {
                    var value = layer.Init == Init.Zeros ? "0" : ValueText.Format(layer.InitValue);
                    yield return DiagnosticInfo.Create(DiagnosticDescriptors.ConstantInitializer, InitSite(layer), view.Describe(layer), value);
                }

                continue;
            }

            if (layer.Init == Init.Dirac)
            {
                // An identity start is chosen for what it passes through, not for a variance scale: no activation fits it better.
                continue;
            }

            var act = view.EffectiveActivation(i);
            var matching = NetworkFacts.ResolveInit(Init.Auto, act);
            if (layer.DeclaredInit == Init.Auto || act == Act.SELU || Matches(layer.DeclaredInit, matching))
            {
                continue;
            }

            var mismatch = DiagnosticInfo.Create(
                DiagnosticDescriptors.InitializerMismatch,
                InitSite(layer),
                view.Describe(layer),
                layer.DeclaredInit.ToString(),
                act == Act.Linear ? "no activation (linear)" : act.ToString(),
                matching.ToString());
            yield return mismatch with { Suggestion = matching.ToString() };
        }
    }

    public static DiagnosticSite InitSite(LayerSpec layer) => new(layer.DeclarationIndex, "Init");

    /// <summary>The initializer as written, or what Init.Auto chose.</summary>
    public static string InitName(LayerSpec layer) => layer.DeclaredInit == Init.Auto
        ? $"{layer.Init} (chosen by Init.Auto for a {(layer.Act == Act.Linear ? "linear" : layer.Act.ToString())} layer)"
        : layer.Init.ToString();

    /// <summary>Same family as the initializer Init.Auto picks: He / HeUniform, Glorot / GlorotNormal, LeCun / LeCunUniform.</summary>
    private static bool Matches(Init declared, Init matching) => matching switch
    {
        Init.He => declared is Init.He or Init.HeUniform,
        Init.Glorot => declared is Init.Glorot or Init.GlorotNormal,
        _ => declared is Init.LeCun or Init.LeCunUniform,
    };
}

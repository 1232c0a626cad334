using System.Linq;
using DslNet.Generators.Helpers;
using DslNet.Generators.Model;

namespace DslNet.Generators.Rules;

/// <summary>
/// The warnings about a model that builds but will not train as intended (DSL101–DSL106, DSL201–DSL209). Runs on
/// the parsed model only, so declaration errors are reported first and alone. Each rule reports
/// once per declaring attribute, not once per repeated layer.
/// </summary>
internal static class ModelRules
{
    public static EquatableArray<DiagnosticInfo> Check(ModelSpec model)
    {
        if (model.Layers.Count == 0)
        {
            return EquatableArray<DiagnosticInfo>.Empty;
        }

        var view = new NetworkView(model);
        return SeluRules.Check(view)
            .Concat(InitRules.Check(view))
            .Concat(TrainingRules.Check(view))
            .Concat(LayerOrderRules.Check(view))
            .Concat(OutputLossRules.Check(view))
            .Distinct()
            .ToEquatableArray();
    }
}

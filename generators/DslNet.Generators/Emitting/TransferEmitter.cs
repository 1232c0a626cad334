using System.Collections.Generic;
using System.Linq;
using DslNet.Generators.Helpers;
using DslNet.Generators.Model;

namespace DslNet.Generators.Emitting;

/// <summary>
/// Writes the transfer-learning members: for a model with frozen layers (declared <c>Trainable = false</c>, or reused by
/// [Reuse]) the freezing state, <c>Freeze</c> / <c>Unfreeze</c> and frozen batch norm kept in inference mode; for a model
/// with [Reuse] also <c>FromPretrained</c>, <c>FreezeReused</c> and <c>UnfreezeReused</c>.
/// </summary>
internal static class TransferEmitter
{
    /// <summary>The field that records that [Standardize]'s statistics came from the source model.</summary>
    public const string StatisticsFromPretrained = "statisticsFromPretrained";

    private const string Training = "global::DslNet.Training";

    /// <summary>Whether the model has freezing members: some layer starts frozen.</summary>
    public static bool HasFreezing(ModelSpec model) => model.Layers.Any(layer => layer.Frozen);

    public static void EmitFields(SourceWriter w, ModelSpec model)
    {
        if (HasFreezing(model))
        {
            w.Line($"private readonly {Training}.LayerFreezing freezing;");
        }

        if (ReusesStatistics(model))
        {
            w.Line($"private bool {StatisticsFromPretrained};");
        }
    }

    public static void EmitConstruction(SourceWriter w, ModelSpec model)
    {
        if (!HasFreezing(model))
        {
            return;
        }

        var layers = model.Layers.Where(NetworkFacts.HasWeights).ToList();
        w.Line($"freezing = new {Training}.LayerFreezing(");
        w.Indent();
        w.Line("Name" + (layers.Count == 0 ? ");" : ","));
        for (var i = 0; i < layers.Count; i++)
        {
            var modules = string.Join(", ", LayerKinds.Of(layers[i]).FreezableModules(layers[i]));
            w.Line($"new {Training}.FreezableLayer({Literals.String(layers[i].FieldName)}, frozen: {Literals.Bool(layers[i].Frozen)}, {modules}){(i == layers.Count - 1 ? ");" : ",")}");
        }

        w.Outdent();
    }

    public static void EmitMembers(SourceWriter w, ModelSpec model)
    {
        if (!HasFreezing(model))
        {
            return;
        }

        w.Line();
        EmitFromPretrained(w, model);
        var names = string.Join(", ", model.Layers.Where(NetworkFacts.HasWeights).Select(layer => layer.FieldName));
        w.Line($"/// <summary>Freezes <paramref name=\"layer\"/> ({names}): <c>Fit</c> leaves its weights alone (a batch norm runs in inference mode); the next <c>Fit</c> starts a fresh optimizer.</summary>");
        w.Line("public void Freeze(string layer) => SetFrozen(true, layer);");
        w.Line();
        w.Line("/// <summary>Unfreezes <paramref name=\"layer\"/>: <c>Fit</c> trains it again; the next <c>Fit</c> starts a fresh optimizer.</summary>");
        w.Line("public void Unfreeze(string layer) => SetFrozen(false, layer);");
        w.Line();
        w.Line("// A change of what is frozen starts a fresh optimizer at the next Fit, as the book compiles the model again.");
        w.OpenBlock("private void SetFrozen(bool frozen, params string[] layers)");
        w.OpenBlock("if (freezing.Set(frozen, layers))");
        w.Line("ResetOptimizer();");
        w.CloseBlock();
        w.CloseBlock();
        w.Line();
        w.Line("/// <summary>Sets training or inference mode; while training, frozen batch-norm layers stay in inference mode, as in Keras.</summary>");
        w.OpenBlock("public override void train(bool train = true)");
        w.Line("base.train(train);");
        w.OpenBlock("if (train)");
        w.Line("freezing.KeepFrozenNormsInInference();");
        w.CloseBlock();
        w.CloseBlock();
    }

    private static void EmitFromPretrained(SourceWriter w, ModelSpec model)
    {
        if (model.Reuse is not { } reuse)
        {
            return;
        }

        var reused = model.Layers.Where(layer => layer.ReusedFrom.Length > 0).ToList();
        var frozen = reused.Where(NetworkFacts.HasWeights).Select(layer => Literals.String(layer.FieldName)).ToList();
        var pairs = reused.SelectMany(CopiedModules).ToList();
        var described = string.Join(", ", reused.Where(layer => layer.Kind != LayerKind.Flatten).Select(layer => layer.FieldName));
        w.Line("/// <summary>");
        w.Line($"/// A new {model.ClassName} whose reused layers ({described}) hold copies of <paramref name=\"source\"/>'s weights" +
               (ReusesStatistics(model) ? " and standardization statistics" : string.Empty) + ", frozen;");
        w.Line($"/// the other layers freshly initialized (seed {model.Seed}). <paramref name=\"source\"/> is left untouched.");
        w.Line("/// </summary>");
        w.Line($"public static {model.ClassName} FromPretrained({reuse.SourceType} source, global::TorchSharp.torch.Device? device = null)");
        w.Line("{");
        w.Indent();
        w.Line("global::System.ArgumentNullException.ThrowIfNull(source);");
        w.Line($"var model = new {model.ClassName}(device);");
        w.Line("global::DslNet.Layers.Pretrained.CopyLayers(");
        w.Indent();
        w.Line("source,");
        w.Line("model" + (pairs.Count == 0 ? ");" : ","));
        for (var i = 0; i < pairs.Count; i++)
        {
            w.Line($"({Literals.String(pairs[i].Source)}, {Literals.String(pairs[i].Target)}){(i == pairs.Count - 1 ? ");" : ",")}");
        }

        w.Outdent();
        if (ReusesStatistics(model))
        {
            w.Line($"model.{StatisticsFromPretrained} = true;");
        }

        w.Line("return model;");
        w.Outdent();
        w.Line("}");
        w.Line();
        if (frozen.Count == 0)
        {
            return;
        }

        w.Line($"/// <summary>Freezes the layers reused from {reuse.SourceName} (as they start): the book's first phase trains only the new layers.</summary>");
        w.Line($"public void FreezeReused() => SetFrozen(true, {string.Join(", ", frozen)});");
        w.Line();
        w.Line($"/// <summary>Unfreezes the layers reused from {reuse.SourceName}: the book's second phase fine-tunes them too, at a low learning rate.</summary>");
        w.Line($"public void UnfreezeReused() => SetFrozen(false, {string.Join(", ", frozen)});");
        w.Line();
    }

    /// <summary>
    /// The (source field, own field) pairs of the modules with state that a reused layer copies: none for a layer without
    /// weights (Flatten, pooling, dropout, augmentation), which is taken as what it is.
    /// </summary>
    private static IEnumerable<(string Source, string Target)> CopiedModules(LayerSpec layer) =>
        HoldsState(layer)
            ? ModelEmitter.Components(layer).Select(component => (layer.ReusedFrom + component.Name.Substring(layer.FieldName.Length), component.Name))
            : Enumerable.Empty<(string, string)>();

    /// <summary>Whether the layer holds weights or statistics to copy: a layer with weights, or [Standardize]'s mean and deviation.</summary>
    private static bool HoldsState(LayerSpec layer) => NetworkFacts.HasWeights(layer) || layer.Kind == LayerKind.Standardize;

    private static bool ReusesStatistics(ModelSpec model) =>
        model.Layers.Any(layer => layer.Kind == LayerKind.Standardize && layer.ReusedFrom.Length > 0);
}

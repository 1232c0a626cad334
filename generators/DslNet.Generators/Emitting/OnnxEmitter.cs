using System.Linq;
using DslNet.Generators.Helpers;
using DslNet.Generators.Model;

namespace DslNet.Generators.Emitting;

/// <summary>
/// Writes <c>BuildOnnx</c>, which the runtime's <c>DslModule.ExportOnnx</c> calls: one call of <c>DslNet.Onnx.OnnxGraphBuilder</c>
/// per layer (its descriptor's <c>OnnxCalls</c>), in the order of the forward pass. The generator knows the graph; the runtime
/// writes the file.
/// </summary>
internal static class OnnxEmitter
{
    private const string Builder = "global::DslNet.Onnx.OnnxGraphBuilder";

    /// <summary>Writes the <c>BuildOnnx</c> override that <c>DslModule.ExportOnnx</c> calls.</summary>
    public static void Emit(SourceWriter w, ModelSpec model)
    {
        var calls = model.Layers.Select(layer => LayerKinds.Of(layer).OnnxCalls(layer)).Where(call => call.Length > 0).ToList();
        w.Line();
        w.Line("/// <summary>The ONNX inference graph: one builder call per layer, in the order of the forward pass (dropout omitted).</summary>");
        if (calls.Count == 0)
        {
            // Every layer is the identity at inference: the graph is input → output.
            w.Line($"protected override void BuildOnnx({Builder} graph) {{ }}");
            return;
        }

        w.Line($"protected override void BuildOnnx({Builder} graph) => graph");
        w.Indent();
        for (var i = 0; i < calls.Count; i++)
        {
            // A residual unit's calls span lines (its paths indented under it).
            foreach (var line in (calls[i] + (i == calls.Count - 1 ? ";" : string.Empty)).Split('\n'))
            {
                w.Line(line);
            }
        }

        w.Outdent();
    }
}

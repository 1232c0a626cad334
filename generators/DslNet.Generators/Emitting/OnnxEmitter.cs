using System.Linq;
using DslNet.Generators.Helpers;
using DslNet.Generators.Model;

namespace DslNet.Generators.Emitting;

/// <summary>
/// Writes <c>BuildOnnx</c>, which the runtime's <c>DslModule.ExportOnnx</c> calls: one call of <c>DslNet.Onnx.OnnxGraphBuilder</c>
/// per layer, in the order of the forward pass. The generator knows the graph; the runtime writes the file. A new layer kind adds
/// one builder method and one case in <see cref="Calls"/> (and in <see cref="Supports"/>).
/// </summary>
internal static class OnnxEmitter
{
    private const string Builder = "global::DslNet.Onnx.OnnxGraphBuilder";

    /// <summary>Whether a layer kind has an ONNX form (every kind the DSL has today does: no layer needs DSL214).</summary>
    public static bool Supports(LayerKind kind) => kind switch
    {
        LayerKind.Standardize or LayerKind.Flatten or LayerKind.Dense or LayerKind.BatchNorm or LayerKind.Activation
            or LayerKind.Dropout or LayerKind.AlphaDropout => true,
        _ => false,
    };

    /// <summary>Writes the <c>BuildOnnx</c> override that <c>DslModule.ExportOnnx</c> calls.</summary>
    public static void Emit(SourceWriter w, ModelSpec model)
    {
        var calls = model.Layers.Select(Calls).Where(call => call.Length > 0).ToList();
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
            w.Line(calls[i] + (i == calls.Count - 1 ? ";" : string.Empty));
        }

        w.Outdent();
    }

    /// <summary>The builder calls for one layer (empty for a layer that is the identity at inference).</summary>
    private static string Calls(LayerSpec layer)
    {
        var f = layer.FieldName;
        switch (layer.Kind)
        {
            case LayerKind.Standardize:
                return $".Standardize({f}.Mean, {f}.Std)";
            case LayerKind.Flatten:
                return ".Flatten()";
            case LayerKind.Dense:
                var dense = $".Dense({f}.weight!, {(layer.UseBias ? f + ".bias" : "null")})";
                if (layer.BatchNorm)
                {
                    dense += BatchNorm(f + "Norm", layer);
                }

                return dense + Activation(layer.Act, layer.Alpha, f + "Activation");
            case LayerKind.BatchNorm:
                return BatchNorm(f, layer);
            case LayerKind.Activation:
                return Activation(layer.Act, layer.Alpha, f);
            default:
                // Dropout and AlphaDropout are the identity at inference.
                return string.Empty;
        }
    }

    private static string BatchNorm(string field, LayerSpec layer) =>
        $".BatchNorm({field}.weight, {field}.bias, {field}.running_mean!, {field}.running_var!, {Literals.Double(layer.Epsilon)})";

    private static string Activation(Act act, double alpha, string module) => act switch
    {
        Act.Linear => string.Empty,
        Act.ReLU => ".Relu()",
        Act.LeakyReLU => $".LeakyRelu({Literals.Double(double.IsNaN(alpha) ? 0.3 : alpha)})",
        Act.PReLU => $".PRelu({module}.weight!)",
        Act.ELU => $".Elu({Literals.Double(double.IsNaN(alpha) ? 1.0 : alpha)})",
        Act.SELU => ".Selu()",
        Act.GELU => ".Gelu()",
        Act.Swish => ".Swish()",
        Act.ParametricSwish => $".ParametricSwish({module}.Beta)",
        Act.Mish => ".Mish()",
        Act.Tanh => ".Tanh()",
        Act.Sigmoid => ".Sigmoid()",
        Act.Softplus => ".Softplus()",
        _ => ".Softmax()",
    };
}

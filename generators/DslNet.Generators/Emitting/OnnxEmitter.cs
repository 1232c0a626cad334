using DslNet.Generators.Helpers;
using DslNet.Generators.Model;

namespace DslNet.Generators.Emitting;

/// <summary>
/// Writes <c>ExportOnnx(string path)</c>: one call of the runtime's <c>DslNet.Onnx.OnnxGraphBuilder</c> per layer, in
/// the order of the forward pass. The generator knows the graph; the runtime writes the file. A new layer kind adds
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

    public static void Emit(SourceWriter w, ModelSpec model)
    {
        w.Line("/// <summary>");
        w.Line("/// Writes the inference graph (standardization, layers, batch norm with its moving statistics, the output activation;");
        w.Line($"/// dropout omitted) to <paramref name=\"path\"/> as an ONNX model (opset <see cref=\"{Builder}.Opset\"/>): input <c>input</c>");
        w.Line("/// <c>[batch, …SampleShape]</c> with a dynamic batch, output <c>output</c>, equal to <see cref=\"Predict\"/>. The file is written atomically.");
        w.Line("/// </summary>");
        w.Line("public void ExportOnnx(string path) =>");
        w.Indent();
        w.Line($"new {Builder}(ModelName, sampleShape)");
        w.Indent();
        foreach (var layer in model.Layers)
        {
            var calls = Calls(layer);
            if (calls.Length > 0)
            {
                w.Line(calls);
            }
        }

        w.Line(".Save(path);");
        w.Outdent();
        w.Outdent();
        w.Line();
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

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
            or LayerKind.Dropout or LayerKind.AlphaDropout or LayerKind.Conv2D or LayerKind.MaxPool or LayerKind.AvgPool
            or LayerKind.GlobalAvgPool or LayerKind.RandomFlip or LayerKind.RandomCrop => true,
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
            case LayerKind.Conv2D:
                var conv = $".Conv2D({f}.Weight, {f}.Bias, {layer.Stride}, {layer.Dilation}, {Pads(layer, layer.Dilation)})";
                if (layer.BatchNorm)
                {
                    conv += BatchNorm(f + "Norm", layer);
                }

                return conv + Activation(layer.Act, layer.Alpha, f + "Activation");
            case LayerKind.MaxPool:
                return $".MaxPool({layer.Kernel}, {layer.Stride}, {Pads(layer, 1)})";
            case LayerKind.AvgPool:
                return $".AvgPool({layer.Kernel}, {layer.Stride}, {Pads(layer, 1)})";
            case LayerKind.GlobalAvgPool:
                return ".GlobalAvgPool()";
            case LayerKind.BatchNorm:
                return BatchNorm(f, layer);
            case LayerKind.Activation:
                return Activation(layer.Act, layer.Alpha, f);
            default:
                // Dropout, AlphaDropout and the augmentation layers (RandomFlip, RandomCrop) are the identity at inference.
                return string.Empty;
        }
    }

    /// <summary>
    /// The explicit padding (top, left, bottom, right) of a conv or pooling window: none for valid padding; for Keras'
    /// same padding, what ⌈size / stride⌉ outputs need, the odd cell at the bottom and the right (as the runtime layers pad).
    /// </summary>
    private static string Pads(LayerSpec layer, int dilation)
    {
        if (layer.Padding == Padding.Valid)
        {
            return "0, 0, 0, 0";
        }

        var (top, bottom) = SamePadding(layer.InputShape[1], layer.Kernel, layer.Stride, dilation);
        var (left, right) = SamePadding(layer.InputShape[2], layer.Kernel, layer.Stride, dilation);
        return $"{top}, {left}, {bottom}, {right}";
    }

    private static (int Before, int After) SamePadding(int size, int kernel, int stride, int dilation)
    {
        var outputs = (size + stride - 1) / stride;
        var total = System.Math.Max(((outputs - 1) * stride) + (dilation * (kernel - 1)) + 1 - size, 0);
        return (total / 2, total - (total / 2));
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

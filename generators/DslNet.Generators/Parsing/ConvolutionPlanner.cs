using System.Collections.Generic;
using DslNet.Generators.Model;

namespace DslNet.Generators.Parsing;

/// <summary>
/// Compile-time shapes of the layers that work on feature maps (Keras' arithmetic, channels first), and DSL006 at the
/// attribute at fault when a layer cannot take the shape it receives.
/// </summary>
internal static class ConvolutionPlanner
{
    /// <summary>The per-sample output shape of <paramref name="layer"/> for <paramref name="input"/>, or null after reporting DSL006.</summary>
    public static int[]? OutputShape(LayerSpec layer, int[] input, List<DiagnosticInfo> diagnostics)
    {
        switch (layer.Kind)
        {
            case LayerKind.Conv2D:
            case LayerKind.MaxPool:
            case LayerKind.AvgPool:
                if (!IsMap(layer, input, diagnostics))
                {
                    return null;
                }

                var dilation = layer.Kind == LayerKind.Conv2D ? layer.Dilation : 1;
                var height = OutputSize(input[1], layer.Kernel, layer.Stride, dilation, layer.Padding);
                var width = OutputSize(input[2], layer.Kernel, layer.Stride, dilation, layer.Padding);
                if (height < 1 || width < 1)
                {
                    var span = ((long)dilation * (layer.Kernel - 1)) + 1;
                    var what = layer.Kind == LayerKind.Conv2D
                        ? $"its {layer.Kernel}×{layer.Kernel} kernel{(dilation > 1 ? $" dilated by {dilation} (spanning {span}×{span})" : string.Empty)} needs a map of at least {span}×{span} with Padding.Valid"
                        : $"its {layer.Kernel}×{layer.Kernel} window needs a map of at least {layer.Kernel}×{layer.Kernel} with Padding.Valid, else it pools the map to nothing";
                    Report(layer, layer.Kind == LayerKind.Conv2D ? 1 : 0, input,
                        $"{what}; use Padding.Same, a smaller {(layer.Kind == LayerKind.Conv2D ? "kernel" : "window")}, or less downsampling before it", diagnostics);
                    return null;
                }

                return new[] { layer.Kind == LayerKind.Conv2D ? layer.Units : input[0], (int)height, (int)width };
            case LayerKind.GlobalAvgPool:
                return IsMap(layer, input, diagnostics) ? new[] { input[0] } : null;
            case LayerKind.RandomFlip:
            case LayerKind.RandomCrop:
                return IsMap(layer, input, diagnostics) ? input : null;
            default:
                return input;
        }
    }

    /// <summary>Keras' output size along one dimension (≤ 0 when a valid window does not fit).</summary>
    public static long OutputSize(long size, long kernel, long stride, long dilation, Padding padding) => padding == Padding.Same
        ? (size + stride - 1) / stride
        : size - (dilation * (kernel - 1)) - 1 < 0 ? 0 : ((size - (dilation * (kernel - 1)) - 1) / stride) + 1;

    /// <summary>The layer in the user's words: <c>layer 4 (Conv2D 64, 3×3)</c>.</summary>
    public static string Describe(LayerSpec layer) => layer.Kind switch
    {
        LayerKind.Conv2D => $"layer {layer.Position} (Conv2D {layer.Units}, {layer.Kernel}×{layer.Kernel}" +
                            (layer.Stride > 1 ? $", stride {layer.Stride}" : string.Empty) + (layer.Padding == Padding.Same ? ", same" : string.Empty) + ")",
        LayerKind.MaxPool or LayerKind.AvgPool => $"layer {layer.Position} ({layer.Kind} {layer.Kernel}" + (layer.Stride != layer.Kernel ? $", stride {layer.Stride}" : string.Empty) + ")",
        LayerKind.RandomCrop => $"layer {layer.Position} (RandomCrop {layer.CropPadding})",
        _ => $"layer {layer.Position} ({layer.Kind})",
    };

    public static string ShapeText(int[] shape) => "(" + string.Join(", ", shape) + ")";

    private static bool IsMap(LayerSpec layer, int[] input, List<DiagnosticInfo> diagnostics)
    {
        if (input.Length == 3)
        {
            return true;
        }

        var why = input.Length == 1
            ? "a flat vector (a Dense, Flatten or GlobalAvgPool before it, or a one-dimensional [Model] input)"
            : $"a shape of rank {input.Length}";
        Report(layer, -1, input, $"it needs a feature map (C, H, W), and this is {why}; move it before the layers that flatten, or declare [Model(C, H, W)]", diagnostics);
        return false;
    }

    private static void Report(LayerSpec layer, int position, int[] input, string need, List<DiagnosticInfo> diagnostics) =>
        diagnostics.Add(DiagnosticInfo.Create(
            DiagnosticDescriptors.LayerShape, new DiagnosticSite(layer.DeclarationIndex, null, position), Describe(layer), ShapeText(input), need));
}

using System.Collections.Generic;
using DslNet.Generators.Model;
using DslNet.Layers;

namespace DslNet.Generators.Kinds;

/// <summary>
/// What the layers on feature maps share at compile time: the window arithmetic (the runtime's <see cref="ConvolutionShapes"/>,
/// linked), the check that the input is a map, and DSL006 at the attribute at fault.
/// </summary>
internal static class WindowShapes
{
    /// <summary>The output size along one dimension (≤ 0 when a window does not fit).</summary>
    public static long OutputSize(long size, long kernel, long stride, long dilation, Padding padding) =>
        ConvolutionShapes.OutputSize(size, kernel, stride, dilation, padding);

    /// <summary>The explicit padding (top, left, bottom, right) of a window over the map <paramref name="input"/> (C, H, W), as the runtime layers pad.</summary>
    public static string Pads(IReadOnlyList<int> input, int kernel, int stride, int dilation, Padding padding)
    {
        var (top, bottom) = ConvolutionShapes.Pads(input[1], kernel, stride, dilation, padding);
        var (left, right) = ConvolutionShapes.Pads(input[2], kernel, stride, dilation, padding);
        return $"{top}, {left}, {bottom}, {right}";
    }

    /// <summary>The Python argument <c>, pads=(left, right, top, bottom)</c> (F.pad's order) of a window layer, empty when there is no padding.</summary>
    public static string PyTorchPads(IReadOnlyList<int> input, int kernel, int stride, int dilation, Padding padding)
    {
        var (top, bottom) = ConvolutionShapes.Pads(input[1], kernel, stride, dilation, padding);
        var (left, right) = ConvolutionShapes.Pads(input[2], kernel, stride, dilation, padding);
        return top == 0 && bottom == 0 && left == 0 && right == 0 ? string.Empty : $", pads=({left}, {right}, {top}, {bottom})";
    }

    public static string ShapeText(IEnumerable<int> shape) => "(" + string.Join(", ", shape) + ")";

    /// <summary>Whether <paramref name="input"/> is a feature map (C, H, W); else DSL006.</summary>
    public static bool IsMap(LayerDescriptor kind, LayerSpec layer, int[] input, List<DiagnosticInfo> diagnostics)
    {
        if (input.Length == 3)
        {
            return true;
        }

        var why = input.Length == 1
            ? "a flat vector (a Dense, Flatten or GlobalAvgPool before it, or a one-dimensional [Model] input)"
            : $"a shape of rank {input.Length}";
        Report(kind, layer, -1, input, $"it needs a feature map (C, H, W), and this is {why}; move it before the layers that flatten, or declare [Model(C, H, W)]", diagnostics);
        return false;
    }

    /// <summary>DSL006: <paramref name="layer"/> cannot take <paramref name="input"/>; <paramref name="need"/> says what it needs.</summary>
    public static void Report(LayerDescriptor kind, LayerSpec layer, int position, int[] input, string need, List<DiagnosticInfo> diagnostics) =>
        diagnostics.Add(DiagnosticInfo.Create(
            DiagnosticDescriptors.LayerShape, new DiagnosticSite(layer.DeclarationIndex, null, position), kind.DescribeForShape(layer), ShapeText(input), need));
}

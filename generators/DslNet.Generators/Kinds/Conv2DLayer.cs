using System.Collections.Generic;
using DslNet.Generators.Model;
using DslNet.Generators.Parsing;

namespace DslNet.Generators.Kinds;

/// <summary>[Conv2D(filters, kernel)]: a 2-D convolution on channels-first maps (runtime <c>Convolution2D</c>), Keras' strides, padding and dilation.</summary>
internal sealed class Conv2DLayer : WeightedLayer
{
    public override LayerKind Kind => LayerKind.Conv2D;

    public override string FieldStem => "conv";

    protected override string ModuleType => "global::DslNet.Layers.Convolution2D";

    protected override string NormKind => "BatchNorm2d";

    public override LayerSpec Read(AttributeReader reader, LayerSpec template, out int repeat)
    {
        var filters = reader.PositionalInt(0, 1);
        var kernel = reader.PositionalInt(1, 1);
        reader.Require(filters >= 1, "filters", filters, "at least 1", 0);
        reader.Require(kernel >= 1, "kernel", kernel, "at least 1", 1);
        repeat = ReadRepeat(reader);
        var stride = reader.Int("Stride", 1);
        var dilation = reader.Int("Dilation", 1);
        reader.Require(stride >= 1, "Stride", stride, "at least 1");
        reader.Require(dilation >= 1, "Dilation", dilation, "at least 1");
        return ReadWeighted(reader, template) with
        {
            Units = filters,
            Kernel = kernel,
            Stride = stride,
            Dilation = dilation,
            Padding = reader.Enum("Padding", Padding.Valid),
        };
    }

    public override int[]? OutputShape(LayerSpec layer, int[] input, List<DiagnosticInfo> diagnostics) =>
        PoolingLayer.WindowOutput(this, layer, input, layer.Units, layer.Dilation, diagnostics);

    public override string Kernel(LayerSpec layer) => $"{layer.FieldName}.Weight";

    protected override string Size(LayerSpec layer) => $"Conv2D {layer.Units}, {layer.Kernel}×{layer.Kernel}";

    protected override long KernelWeights(LayerSpec layer, IReadOnlyList<int> input) => (long)(input.Count == 0 ? 0 : input[0]) * layer.Kernel * layer.Kernel * layer.Units;

    // A convolution initialized as Dense is (fan-in C·k·k, fan-out filters·k·k), from the same seeded generator, in layer order.
    protected override string Constructor(LayerSpec layer)
    {
        var arguments = $"{layer.InputShape[0]}, {layer.Units}, {layer.Kernel}, global::DslNet.Init.{layer.Init}";
        if (layer.Stride != 1)
        {
            arguments += $", stride: {layer.Stride}";
        }

        if (layer.Dilation != 1)
        {
            arguments += $", dilation: {layer.Dilation}";
        }

        if (layer.Padding != Padding.Valid)
        {
            arguments += $", padding: global::DslNet.Padding.{layer.Padding}";
        }

        return $"Conv2D({arguments}{BiasAndInitValue(layer)})";
    }

    // Keras' padding is known at compile time: explicit (left, right, top, bottom) pads, as the runtime layer pads.
    protected override string PyTorchConstructor(LayerSpec layer) =>
        $"Conv2d({layer.InputShape[0]}, {layer.Units}, {layer.Kernel}" +
        (layer.Stride != 1 ? $", stride={layer.Stride}" : string.Empty) +
        (layer.Dilation != 1 ? $", dilation={layer.Dilation}" : string.Empty) +
        WindowShapes.PyTorchPads(layer.InputShape, layer.Kernel, layer.Stride, layer.Dilation, layer.Padding) +
        (layer.UseBias ? string.Empty : ", bias=False") + ")";

    protected override string OnnxLinear(LayerSpec layer) =>
        $".Conv2D({layer.FieldName}.Weight, {layer.FieldName}.Bias, {layer.Stride}, {layer.Dilation}, {WindowShapes.Pads(layer.InputShape, layer.Kernel, layer.Stride, layer.Dilation, layer.Padding)})";

    public override string DescribeForShape(LayerSpec layer) => $"layer {layer.Position} (Conv2D {layer.Units}, {layer.Kernel}×{layer.Kernel}" +
        (layer.Stride > 1 ? $", stride {layer.Stride}" : string.Empty) + (layer.Padding == Padding.Valid ? string.Empty : ", " + layer.Padding.ToString().ToLowerInvariant()) + ")";
}

using System.Collections.Generic;
using DslNet.Generators.Model;
using DslNet.Generators.Parsing;

namespace DslNet.Generators.Kinds;

/// <summary>[MaxPool(size)] and [AvgPool(size)]: Keras' 2-D pooling (runtime <c>Pooling2D</c>); the stride defaults to the window.</summary>
internal sealed class PoolingLayer : LayerDescriptor
{
    private readonly bool max;

    private PoolingLayer(bool max) => this.max = max;

    public static PoolingLayer Max { get; } = new(max: true);

    public static PoolingLayer Average { get; } = new(max: false);

    public override LayerKind Kind => max ? LayerKind.MaxPool : LayerKind.AvgPool;

    public override string FieldStem => max ? "maxPool" : "avgPool";

    public override LayerSpec Read(AttributeReader reader, LayerSpec template, out int repeat)
    {
        repeat = 1;
        var size = reader.PositionalInt(0, 1);
        reader.Require(size >= 1, "size", size, "at least 1", 0);
        var stride = reader.Int("Stride", 0);
        reader.Require(stride >= 0, "Stride", stride, "at least 1 (or 0 for the window size)");
        return template with
        {
            Kernel = size,
            Stride = stride <= 0 ? System.Math.Max(size, 1) : stride,
            Padding = reader.Enum("Padding", Padding.Valid),
        };
    }

    public override int[]? OutputShape(LayerSpec layer, int[] input, List<DiagnosticInfo> diagnostics) =>
        WindowOutput(this, layer, input, input.Length == 3 ? input[0] : 0, 1, diagnostics);

    public override IEnumerable<(string Type, string Name, string Constructor)> Components(LayerSpec layer)
    {
        yield return ("global::DslNet.Layers.Pooling2D", layer.FieldName,
            $"new global::DslNet.Layers.Pooling2D(global::DslNet.Layers.PoolingKind.{(max ? "Max" : "Average")}, {layer.Kernel}, {layer.Stride}, global::DslNet.Padding.{layer.Padding})");
    }

    public override IEnumerable<(string Name, string Constructor)> PyTorchModules(LayerSpec layer)
    {
        yield return (layer.FieldName, $"Pool2d('{(max ? "max" : "avg")}', {layer.Kernel}, {layer.Stride}{WindowShapes.PyTorchPads(layer.InputShape, layer.Kernel, layer.Stride, 1, layer.Padding)})");
    }

    public override System.Func<string, string>? PyTorchForward(LayerSpec layer, bool skipActivation) => PyTorchCall(layer.FieldName);

    public override string OnnxCalls(LayerSpec layer) =>
        $".{(max ? "MaxPool" : "AvgPool")}({layer.Kernel}, {layer.Stride}, {WindowShapes.Pads(layer.InputShape, layer.Kernel, layer.Stride, 1, layer.Padding)})";

    public override string DescribeForRules(LayerSpec layer, string times) => $"{Kind} {layer.Kernel}{times}";

    public override string DescribeForShape(LayerSpec layer) =>
        $"layer {layer.Position} ({Kind} {layer.Kernel}" + (layer.Stride != layer.Kernel ? $", stride {layer.Stride}" : string.Empty) + ")";

    /// <summary>The (channels, H', W') a window layer (conv or pooling) gives, or null after DSL006 when its window does not fit.</summary>
    public static int[]? WindowOutput(LayerDescriptor kind, LayerSpec layer, int[] input, int channels, int dilation, List<DiagnosticInfo> diagnostics)
    {
        if (!WindowShapes.IsMap(kind, layer, input, diagnostics))
        {
            return null;
        }

        var height = WindowShapes.OutputSize(input[1], layer.Kernel, layer.Stride, dilation, layer.Padding);
        var width = WindowShapes.OutputSize(input[2], layer.Kernel, layer.Stride, dilation, layer.Padding);
        if (height >= 1 && width >= 1)
        {
            return new[] { channels, (int)height, (int)width };
        }

        var conv = kind.Kind == LayerKind.Conv2D;
        var span = ((long)dilation * (layer.Kernel - 1)) + 1;
        var what = conv
            ? $"its {layer.Kernel}×{layer.Kernel} kernel{(dilation > 1 ? $" dilated by {dilation} (spanning {span}×{span})" : string.Empty)} needs a map of at least {span}×{span} with Padding.Valid"
            : $"its {layer.Kernel}×{layer.Kernel} window needs a map of at least {layer.Kernel}×{layer.Kernel} with Padding.Valid, else it pools the map to nothing";
        WindowShapes.Report(kind, layer, conv ? 1 : 0, input,
            $"{what}; use Padding.Same, a smaller {(conv ? "kernel" : "window")}, or less downsampling before it", diagnostics);
        return null;
    }
}

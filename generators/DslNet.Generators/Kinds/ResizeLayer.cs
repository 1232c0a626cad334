using System.Collections.Generic;
using DslNet.Generators.Model;
using DslNet.Generators.Parsing;

namespace DslNet.Generators.Kinds;

/// <summary>[Resize(height, width)]: bilinear resizing of each map (Keras <c>Resizing</c>), (C, H, W) → (C, height, width).</summary>
internal sealed class ResizeLayer : LayerDescriptor
{
    public override LayerKind Kind => LayerKind.Resize;

    public override string FieldStem => "resize";

    public override bool AlwaysNumbered => false;

    public override LayerSpec Read(AttributeReader reader, LayerSpec template, out int repeat)
    {
        repeat = 1;
        var height = reader.PositionalInt(0, 1);
        var width = reader.PositionalInt(1, 1);
        reader.Require(height >= 1, "height", height, "at least 1", 0);
        reader.Require(width >= 1, "width", width, "at least 1", 1);
        return template with { ResizeHeight = height, ResizeWidth = width };
    }

    public override int[]? OutputShape(LayerSpec layer, int[] input, List<DiagnosticInfo> diagnostics) =>
        WindowShapes.IsMap(this, layer, input, diagnostics) ? new[] { input[0], layer.ResizeHeight, layer.ResizeWidth } : null;

    public override IEnumerable<(string Type, string Name, string Constructor)> Components(LayerSpec layer)
    {
        yield return ("global::DslNet.Layers.Resizing", layer.FieldName, $"new global::DslNet.Layers.Resizing({layer.ResizeHeight}, {layer.ResizeWidth})");
    }

    public override IEnumerable<(string Name, string Constructor)> PyTorchModules(LayerSpec layer)
    {
        yield return (layer.FieldName, $"Resizing({layer.ResizeHeight}, {layer.ResizeWidth})");
    }

    public override System.Func<string, string>? PyTorchForward(LayerSpec layer, bool skipActivation) => PyTorchCall(layer.FieldName);

    public override string OnnxCalls(LayerSpec layer) => $".Resize({layer.ResizeHeight}, {layer.ResizeWidth})";

    public override string DescribeForShape(LayerSpec layer) => $"layer {layer.Position} (Resize {layer.ResizeHeight}×{layer.ResizeWidth})";
}

using System.Collections.Generic;
using DslNet.Generators.Model;
using DslNet.Generators.Parsing;

namespace DslNet.Generators.Kinds;

/// <summary>[Dense(units)]: a fully connected layer (TorchSharp <c>Linear</c>); a Dense after a feature map gets a Flatten before it.</summary>
internal sealed class DenseLayer : WeightedLayer
{
    public override LayerKind Kind => LayerKind.Dense;

    public override string FieldStem => "hidden";

    protected override string ModuleType => "global::TorchSharp.Modules.Linear";

    protected override string NormKind => "BatchNorm1d";

    public override LayerSpec Read(AttributeReader reader, LayerSpec template, out int repeat)
    {
        var units = reader.PositionalInt(0, 1);
        reader.Require(units >= 1, "units", units, "at least 1", 0);
        repeat = ReadRepeat(reader);
        return ReadWeighted(reader, template) with { Units = units };
    }

    public override int[]? OutputShape(LayerSpec layer, int[] input, List<DiagnosticInfo> diagnostics) => new[] { layer.Units };

    public override string Kernel(LayerSpec layer) => $"{layer.FieldName}.weight!";

    protected override string Size(LayerSpec layer) => $"Dense {layer.Units}";

    protected override long KernelWeights(LayerSpec layer, IReadOnlyList<int> input) => (long)NetworkFacts.Product(input) * layer.Units;

    // Keras' initialization beside construction: the kernel drawn from the model's seeded generator, layer by layer, the bias zero.
    protected override string Constructor(LayerSpec layer) =>
        $"Dense({NetworkFacts.Product(layer.InputShape)}, {layer.Units}, global::DslNet.Init.{layer.Init}{BiasAndInitValue(layer)})";

    protected override string PyTorchConstructor(LayerSpec layer) =>
        $"nn.Linear({NetworkFacts.Product(layer.InputShape)}, {layer.Units}{(layer.UseBias ? string.Empty : ", bias=False")})";

    protected override string OnnxLinear(LayerSpec layer) => $".Dense({layer.FieldName}.weight!, {(layer.UseBias ? layer.FieldName + ".bias" : "null")})";
}

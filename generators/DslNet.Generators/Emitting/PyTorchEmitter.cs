using System;
using System.Collections.Generic;
using System.Linq;
using DslNet.Generators.Helpers;
using DslNet.Generators.Kinds;
using DslNet.Generators.Model;

namespace DslNet.Generators.Emitting;

/// <summary>
/// Writes <c>PyTorchModel</c>, the Python source of the model's PyTorch twin that the runtime's <c>DslModule.ExportPyTorch</c>
/// writes into <c>model.py</c> after DslNet's fixed prelude (imports and the modules torch lacks: Keras-padded Conv2d and
/// pooling, standardization, parametric Swish, the augmentation layers). The generator knows the graph, so the class is
/// generated here from each layer's descriptor (<c>PyTorchModules</c>, <c>PyTorchForward</c>): the same class name, the
/// same field names (so the exported <c>state_dict</c> loads with <c>load_state_dict</c>) and the same forward. Each Python
/// line is one line of the C# string, as the Summary is.
/// </summary>
internal static class PyTorchEmitter
{
    public static void Emit(SourceWriter w, ModelSpec model)
    {
        var lines = Lines(model).ToList();
        w.Line();
        w.Line("/// <summary>The PyTorch twin's classes (written to model.py by ExportPyTorch): the same fields and forward as this module.</summary>");
        w.Line("protected override string PyTorchModel =>");
        w.Indent();
        for (var i = 0; i < lines.Count; i++)
        {
            w.Line(Literals.String(lines[i] + "\n") + (i == lines.Count - 1 ? ";" : " +"));
        }

        w.Outdent();
    }

    /// <summary>The Python source: the unit classes, then the model's class, then <c>Model</c>, the name <c>train.py</c> imports.</summary>
    internal static IEnumerable<string> Lines(ModelSpec model)
    {
        foreach (var line in ResidualLayer.PyTorchUnitClasses(model))
        {
            yield return line;
        }

        yield return $"class {model.ClassName}(nn.Module):";
        yield return $"    \"\"\"DslNet's {model.ClassName} (input {WindowShapes.ShapeText(model.InputShape)}): the same fields, the same forward.\"\"\"";
        yield return string.Empty;
        yield return "    def __init__(self):";
        yield return "        super().__init__()";
        foreach (var (name, constructor) in model.Layers.SelectMany(layer => LayerKinds.Of(layer).PyTorchModules(layer)))
        {
            // A unit's constructor spans lines: one module of the unit per line.
            var parts = $"self.{name} = {constructor}".Split('\n');
            yield return "        " + parts[0];
            foreach (var part in parts.Skip(1))
            {
                yield return "        " + part;
            }
        }

        var final = model.OutputKind == OutputKind.Linear ? null : NetworkFacts.LastActivationLayer(model.Layers);
        var statements = model.Layers
            .Select(layer => LayerKinds.Of(layer).PyTorchForward(layer, skipActivation: final is not null && layer == final))
            .Where(statement => statement is not null)
            .ToList();
        yield return string.Empty;
        yield return "    def logits(self, x):";
        yield return "        \"\"\"The forward pass without the output activation: what the loss is computed from.\"\"\"";
        foreach (var statement in statements)
        {
            yield return $"        x = {statement!("x")}";
        }

        yield return "        return x";
        yield return string.Empty;
        yield return "    def forward(self, x):";
        yield return model.OutputKind switch
        {
            OutputKind.Softmax => "        return F.softmax(self.logits(x), -1)",
            OutputKind.Sigmoid => "        return torch.sigmoid(self.logits(x))",
            OutputKind.Linear => "        return self.logits(x)",
            _ => throw new ArgumentOutOfRangeException(nameof(model), model.OutputKind, "Unreachable: every output kind is named."),
        };
        yield return string.Empty;
        yield return string.Empty;
        yield return $"Model = {model.ClassName}";
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using DslNet.Generators.Emitting;
using DslNet.Generators.Helpers;
using DslNet.Generators.Model;
using DslNet.Generators.Parsing;
using Microsoft.CodeAnalysis;

namespace DslNet.Generators.Kinds;

/// <summary>
/// [Residual(filters)]: the book's <c>ResidualUnit</c> (chapter 14). In the plan a unit is one layer with two paths of
/// ordinary layers, <see cref="LayerSpec.Main"/> and <see cref="LayerSpec.Shortcut"/> (empty: the identity), whose sum goes
/// through the unit's activation. In the generated code a unit is a field whose type is a nested module class
/// (<see cref="LayerSpec.UnitClass"/>, one per distinct structure) with the paths' modules as fields and a forward that
/// reads like <c>ResidualUnit.call</c>; its Summary rows are its paths' rows and its <c>add</c>.
/// </summary>
internal sealed class ResidualLayer : LayerDescriptor
{
    public static ResidualLayer Instance { get; } = new();

    public override LayerKind Kind => LayerKind.Residual;

    public override string FieldStem => "residual";

    public override LayerSpec Read(AttributeReader reader, LayerSpec template, out int repeat)
    {
        var block = reader.Positional(0) is { Kind: TypedConstantKind.Type } type ? type : (TypedConstant?)null;
        var filters = block is null ? reader.PositionalInt(0, 1) : 0;
        reader.Require(block is not null || filters >= 1, "filters", filters, "at least 1", 0);
        repeat = reader.Int("Repeat", 1);
        reader.Require(repeat >= 1, "Repeat", repeat, "at least 1");
        reader.Require(repeat <= WeightedLayer.MaxRepeat, "Repeat", repeat, $"at most {WeightedLayer.MaxRepeat}");
        repeat = repeat > WeightedLayer.MaxRepeat ? 1 : repeat;
        var stride = reader.Int("Stride", 1);
        var kernel = reader.Int("Kernel", 3);
        reader.Require(stride >= 1, "Stride", stride, "at least 1");
        reader.Require(kernel >= 1, "Kernel", kernel, "at least 1");
        var epsilon = reader.Double("BatchNormEpsilon", KerasDefaults.BatchNormEpsilon);
        var momentum = reader.Double("BatchNormMomentum", KerasDefaults.BatchNormMomentum);
        var l2 = reader.Double("L2", 0);
        reader.Require(epsilon > 0 && !double.IsInfinity(epsilon), "BatchNormEpsilon", epsilon, "greater than 0");
        reader.Require(momentum >= 0 && momentum < 1, "BatchNormMomentum", momentum, "in [0, 1) (Keras meaning: the moving average keeps this fraction)");
        reader.Require(l2 >= 0 && !double.IsInfinity(l2), "L2", l2, "a finite value ≥ 0");
        var act = reader.Enum("Act", block is null ? Act.ReLU : Act.Linear);
        var declaredInit = reader.Enum("Init", Init.Auto);
        template = block is { } blockType ? ReadBlock(reader, template, blockType) : template;
        return template with
        {
            Units = filters,
            Kernel = kernel,
            Stride = stride,
            Act = act,
            DeclaredInit = declaredInit,
            Init = NetworkFacts.ResolveInit(declaredInit, act),
            Padding = reader.Enum("Padding", Padding.Same),
            Epsilon = epsilon,
            Momentum = momentum,
            BatchNormScale = reader.Bool("BatchNormScale", true),
            L2 = l2,
            UseBias = false,
            Projection = reader.Enum("Projection", Projection.Auto),
        };
    }

    /// <summary>The layers of the [Block] class <paramref name="type"/> as the unit's main path (not yet placed), checked where they are read.</summary>
    private static LayerSpec ReadBlock(AttributeReader reader, LayerSpec template, TypedConstant type)
    {
        var name = type.Value is ITypeSymbol named ? named.ToDisplayString() : "the type given";
        if (type.Value is not INamedTypeSymbol { TypeKind: not TypeKind.Error } block ||
            !block.GetAttributes().Any(attribute => ModelParser.DslAttributeName(attribute) == "BlockAttribute"))
        {
            reader.Require(false, "block", name, "a [Block] class holding the unit's layer attributes", 0);
            return template;
        }

        var layers = new List<LayerSpec>();
        foreach (var attribute in block.GetAttributes())
        {
            var kind = ModelParser.DslAttributeName(attribute) is { } attributeName ? LayerKinds.ByAttributeName(attributeName) : null;
            if (kind is null || attribute.AttributeClass is null)
            {
                continue;
            }

            // The block's layers are read as written on the block; their diagnostics point at the unit's attribute.
            var inner = new AttributeReader(attribute, reader.Index, attribute.AttributeClass.Name.Substring(0, attribute.AttributeClass.Name.Length - "Attribute".Length), reader.Diagnostics);
            if (kind.Kind is LayerKind.Standardize or LayerKind.Residual or LayerKind.Whiten)
            {
                reader.Diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayerOrder, new DiagnosticSite(reader.Index),
                    $"[Block] '{block.Name}' holds [{inner.Name}], which cannot stand inside a residual unit"));
                continue;
            }

            var declared = LayerReader.Read(inner, kind.Kind, template.Position - 1);
            for (var r = 0; r < declared.Repeat; r++)
            {
                layers.Add(kind.Repeated(declared.Template, r));
            }
        }

        if (layers.Count == 0)
        {
            reader.Diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayerOrder, new DiagnosticSite(reader.Index),
                $"[Block] '{block.Name}' declares no layers; add layer attributes such as [Conv2D(64, 3, Padding = Padding.Same)] to it"));
        }

        // Inside the unit every field is numbered by its kind: conv1, batchNorm1, conv2, …
        var counters = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < layers.Count; i++)
        {
            var stem = LayerKinds.Of(layers[i]).FieldStem;
            counters[stem] = counters.TryGetValue(stem, out var count) ? count + 1 : 1;
            layers[i] = layers[i] with { FieldName = stem + counters[stem] };
        }

        return template with { Block = block.Name, Main = layers.ToEquatableArray() };
    }

    /// <summary>Only the first of <c>Repeat</c> units strides (and so projects).</summary>
    public override LayerSpec Repeated(LayerSpec template, int repeat) => repeat == 0 ? template : template with { Stride = 1 };

    public override LayerSpec? Place(LayerSpec unit, int[] input, List<DiagnosticInfo> diagnostics)
    {
        if (!WindowShapes.IsMap(this, unit, input, diagnostics))
        {
            return null;
        }

        List<LayerSpec>? main, shortcut;
        if (unit.Block.Length == 0)
        {
            // The book's unit: Conv(k, stride) → BN → act → Conv(k) → BN; a 1×1 projection where stride or channels change.
            main = PlacePath(new[] { Conv(unit, "conv1", unit.Kernel, unit.Stride, unit.Act), Conv(unit, "conv2", unit.Kernel, 1, Act.Linear) }, input, diagnostics);
            var projects = unit.Stride != 1 || input[0] != unit.Units;
            shortcut = PlacePath(projects ? new[] { Conv(unit, "projection", 1, unit.Stride, Act.Linear) } : Array.Empty<LayerSpec>(), input, diagnostics);
        }
        else
        {
            // A block's layers; where they change the shape, a 1×1 projection that maps the input onto the block's output (Projection.Auto).
            main = PlacePath(unit.Main, input, diagnostics);
            var output = main is null || main.Count == 0 ? input : main[main.Count - 1].OutputShape.ToArray();
            var projection = unit.Projection == Projection.Auto && !output.SequenceEqual(input) ? BlockProjection(unit, input, output) : null;
            shortcut = PlacePath(projection is null ? Array.Empty<LayerSpec>() : new[] { projection }, input, diagnostics);
        }

        if (main is null || shortcut is null)
        {
            return null;
        }

        var mainShape = main.Count == 0 ? input : main[main.Count - 1].OutputShape.ToArray();
        var skipShape = shortcut.Count == 0 ? input : shortcut[shortcut.Count - 1].OutputShape.ToArray();
        if (!mainShape.SequenceEqual(skipShape))
        {
            var fix = unit.Block.Length == 0
                ? "use Padding.Same or Padding.Symmetric"
                : unit.Projection == Projection.None
                    ? "keep the block's output shape equal to its input's, or let Projection.Auto add a 1×1 projection"
                    : "no 1×1 convolution maps one onto the other (the block must keep maps, and its output size must divide the input's)";
            var what = unit.Block.Length == 0 ? "its main path" : $"its main path ([Block] {unit.Block})";
            var skip = shortcut.Count == 0 ? "its shortcut (the identity)" : "its projection";
            WindowShapes.Report(this, unit, -1, input,
                $"{what} ends in {WindowShapes.ShapeText(mainShape)} and {skip} in {WindowShapes.ShapeText(skipShape)}, which cannot be added; {fix}", diagnostics);
            return null;
        }

        var paths = main.Concat(shortcut).ToList();
        return unit with
        {
            InputShape = input.ToEquatableArray(),
            OutputShape = mainShape.ToEquatableArray(),
            Main = main.ToEquatableArray(),
            Shortcut = shortcut.ToEquatableArray(),
            TrainableParameters = paths.Sum(layer => layer.TrainableParameters) + ActivationForm.Of(unit.Act).Parameters(mainShape[0]),
            NonTrainableParameters = paths.Sum(layer => layer.NonTrainableParameters),
        };
    }

    public override bool HasWeights(LayerSpec layer) => true;

    public override IEnumerable<(string Type, string Name, string Constructor)> Components(LayerSpec layer)
    {
        var arguments = Fields(layer).Select(field => "\n    " + field.Constructor);
        yield return (layer.UnitClass, layer.FieldName, $"new {layer.UnitClass}({string.Join(",", arguments)})");
    }

    public override IEnumerable<(string Name, string Constructor)> PyTorchModules(LayerSpec layer)
    {
        var arguments = PyTorchFields(layer).Select(field => "\n    " + field.Constructor);
        yield return (layer.FieldName, $"{layer.UnitClass}({string.Join(",", arguments)})");
    }

    public override Func<string, string>? PyTorchForward(LayerSpec layer, bool skipActivation) => PyTorchCall(layer.FieldName);

    public override IEnumerable<string> FreezableModules(LayerSpec layer) => Fields(layer).Select(field => $"{layer.FieldName}.{field.Name}");

    public override IEnumerable<string> DropoutModules(LayerSpec layer) =>
        Paths(layer).SelectMany(inner => LayerKinds.Of(inner).DropoutModules(inner)).Select(name => $"{layer.FieldName}.{name}");

    public override IEnumerable<(string Name, string Shape, long Parameters)> SummaryRows(LayerSpec layer)
    {
        foreach (var inner in Qualified(layer))
        {
            foreach (var row in LayerKinds.Of(inner).SummaryRows(inner))
            {
                yield return row;
            }
        }

        var act = layer.Act == Act.Linear ? string.Empty : ", " + ActivationForm.Of(layer.Act).KerasName;
        yield return ($"{layer.FieldName}.add (Add{act})", Shape(layer), ActivationForm.Of(layer.Act).Parameters(layer.OutputShape[0]));
    }

    public override string OnnxCalls(LayerSpec layer)
    {
        // One line per layer of each path, indented under the path it belongs to.
        var main = Path(layer.Main, "main");
        var shortcut = layer.Shortcut.Count == 0 ? string.Empty : ",\n    " + Path(layer.Shortcut, "shortcut");
        var act = ActivationForm.Of(layer.Act).OnnxCall(layer.Alpha, layer.FieldName + ".activation");
        return $".Residual(\n    {main}{shortcut})" + (act.Length == 0 ? string.Empty : "\n" + act);

        string Path(IEnumerable<LayerSpec> path, string name) =>
            $"{name} => {name}" + string.Concat(Qualified(path, layer.FieldName).Select(inner => LayerKinds.Of(inner).OnnxCalls(inner)).Where(calls => calls.Length > 0).Select(calls => "\n        " + calls));
    }

    public override string DescribeForRules(LayerSpec layer, string times) =>
        $"Residual {Size(layer)}{times}" + (layer.Act == Act.Linear ? string.Empty : ", " + layer.Act);

    /// <summary>A unit in the user's words: its filters, or its block's name.</summary>
    public static string Size(LayerSpec unit) => unit.Block.Length > 0 ? unit.Block : unit.Units.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public override string DescribeForShape(LayerSpec layer) => layer.Block.Length > 0
        ? $"layer {layer.Position} (Residual {layer.Block})"
        : $"layer {layer.Position} (Residual {layer.Units}" + (layer.Stride > 1 ? $", stride {layer.Stride}" : string.Empty) + ")";

    /// <summary>The unit's layers with the field names the model's code uses (<c>residual1.conv1</c>), main path first.</summary>
    public static IEnumerable<LayerSpec> Qualified(LayerSpec unit) => Qualified(unit.Main, unit.FieldName).Concat(Qualified(unit.Shortcut, unit.FieldName));

    /// <summary>Names each unit's nested class: one class per distinct structure (ResidualUnit, ProjectionUnit, then numbered).</summary>
    public static List<LayerSpec> NameUnitClasses(List<LayerSpec> layers)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < layers.Count; i++)
        {
            if (layers[i].Kind != LayerKind.Residual)
            {
                continue;
            }

            var signature = string.Join("\n", Fields(layers[i]).Select(field => field.Type + " " + field.Name).Concat(ForwardBody(layers[i])));
            if (!names.TryGetValue(signature, out var name))
            {
                var stem = layers[i].Block.Length == 0
                    ? layers[i].Shortcut.Count == 0 ? "ResidualUnit" : "ProjectionUnit"
                    : layers[i].Block + (layers[i].Shortcut.Count == 0 ? "Unit" : "ProjectionUnit");
                name = stem;
                for (var n = 2; !taken.Add(name); n++)
                {
                    name = stem + n;
                }

                names.Add(signature, name);
            }

            layers[i] = layers[i] with { UnitClass = name };
        }

        return layers;
    }

    /// <summary>Writes the nested module class of each distinct unit structure of <paramref name="model"/>.</summary>
    public static void EmitUnitClasses(SourceWriter w, ModelSpec model)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var unit in model.Layers.Where(layer => layer.Kind == LayerKind.Residual && seen.Add(layer.UnitClass)))
        {
            var fields = Fields(unit).ToList();
            var paths = unit.Shortcut.Count == 0
                ? "the identity as its shortcut"
                : string.Join(" → ", unit.Shortcut.Select(layer => layer.FieldName)) + " as its shortcut";
            w.Line();
            var what = unit.Block.Length == 0 ? "A residual unit (the book's <c>ResidualUnit</c>)" : $"A residual unit around [Block] <c>{unit.Block}</c>";
            var act = unit.Act == Act.Linear ? "no activation" : ActivationForm.Of(unit.Act).KerasName;
            w.Line($"/// <summary>{what}: main path {string.Join(" → ", unit.Main.Select(layer => layer.FieldName))}, {paths}, {act} after the sum.</summary>");
            w.OpenBlock($"private sealed class {unit.UnitClass} : global::TorchSharp.torch.nn.Module<{Literals.Tensor}, {Literals.Tensor}>");
            foreach (var (type, name, _) in fields)
            {
                w.Line($"public readonly {type} {name};");
            }

            w.Line();
            w.Line($"public {unit.UnitClass}({string.Join(", ", fields.Select(field => field.Type + " " + field.Name))})");
            w.Line($"    : base(nameof({unit.UnitClass}))");
            w.Line("{");
            w.Indent();
            foreach (var (_, name, _) in fields)
            {
                w.Line($"this.{name} = {name};");
            }

            w.Line("RegisterComponents();");
            w.Outdent();
            w.Line("}");
            w.Line();
            w.Line("/// <summary>The book's <c>ResidualUnit.call</c>: the main path, the shortcut, their sum, the activation.</summary>");
            w.OpenBlock($"public override {Literals.Tensor} forward({Literals.Tensor} input)");
            foreach (var line in ForwardBody(unit))
            {
                w.Line(line);
            }

            w.CloseBlock();
            w.CloseBlock();
        }
    }

    /// <summary>The Python lines of the twin's module class of each distinct unit structure of <paramref name="model"/> (the same names and forward).</summary>
    public static IEnumerable<string> PyTorchUnitClasses(ModelSpec model)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var unit in model.Layers.Where(layer => layer.Kind == LayerKind.Residual && seen.Add(layer.UnitClass)))
        {
            var fields = PyTorchFields(unit).Select(field => field.Name).ToList();
            yield return $"class {unit.UnitClass}(nn.Module):";
            yield return $"    \"\"\"DslNet's {unit.UnitClass}: main path {string.Join(" -> ", unit.Main.Select(layer => layer.FieldName))}, " +
                (unit.Shortcut.Count == 0 ? "the identity" : string.Join(" -> ", unit.Shortcut.Select(layer => layer.FieldName))) + " as its shortcut.\"\"\"";
            yield return string.Empty;
            yield return $"    def __init__(self, {string.Join(", ", fields)}):";
            yield return "        super().__init__()";
            foreach (var field in fields)
            {
                yield return $"        self.{field} = {field}";
            }

            yield return string.Empty;
            yield return "    def forward(self, input):";
            foreach (var line in PyTorchChain("z", unit.Main).Concat(PyTorchChain("skip", unit.Shortcut)))
            {
                yield return "        " + line;
            }

            yield return $"        return {ActivationForm.Of(unit.Act).PyTorch("z + skip", unit.Alpha, "activation")}";
            yield return string.Empty;
            yield return string.Empty;
        }
    }

    private static IEnumerable<string> PyTorchChain(string variable, IEnumerable<LayerSpec> path)
    {
        var value = "input";
        foreach (var forward in path.Select(layer => LayerKinds.Of(layer).PyTorchForward(layer, skipActivation: false)).Where(forward => forward is not null))
        {
            yield return $"{variable} = {forward!(value)}";
            value = variable;
        }

        if (value == "input")
        {
            yield return $"{variable} = input";
        }
    }

    /// <summary>The twin's modules of the unit, named and ordered as <see cref="Fields"/>.</summary>
    private static IEnumerable<(string Name, string Constructor)> PyTorchFields(LayerSpec unit)
    {
        foreach (var module in Paths(unit).SelectMany(layer => LayerKinds.Of(layer).PyTorchModules(layer)))
        {
            yield return module;
        }

        var act = ActivationForm.Of(unit.Act);
        if (act.NeedsModule)
        {
            yield return ("activation", act.PyTorchConstructor(unit.OutputShape[0]));
        }
    }

    /// <summary>The unit's forward: <c>var z = …</c> along the main path, <c>var skip = …</c> along the shortcut, the activation of their sum.</summary>
    private static IEnumerable<string> ForwardBody(LayerSpec unit)
    {
        foreach (var line in Chain("z", unit.Main))
        {
            yield return line;
        }

        foreach (var line in Chain("skip", unit.Shortcut))
        {
            yield return line;
        }

        // The sum is fresh and addition's backward does not read it: a ReLU after it may run in place.
        yield return $"return {ActivationForm.Of(unit.Act).ApplyToFresh("z + skip", unit.Alpha, "activation")};";
    }

    private static IEnumerable<string> Chain(string variable, IEnumerable<LayerSpec> path)
    {
        var value = "input";
        foreach (var forward in path.Select(layer => LayerKinds.Of(layer).Forward(layer, skipActivation: false)).Where(forward => forward is not null))
        {
            yield return (value == "input" ? $"var {variable} = " : $"{variable} = ") + forward!(value) + ";";
            value = variable;
        }

        if (value == "input")
        {
            yield return $"var {variable} = input;";
        }
    }

    /// <summary>The unit's module fields, main path first, then the shortcut, then a parametric activation after the sum.</summary>
    private static IEnumerable<(string Type, string Name, string Constructor)> Fields(LayerSpec unit)
    {
        foreach (var component in Paths(unit).SelectMany(layer => LayerKinds.Of(layer).Components(layer)))
        {
            yield return component;
        }

        var act = ActivationForm.Of(unit.Act);
        if (act.NeedsModule)
        {
            yield return (act.ModuleType, "activation", act.Constructor(unit.OutputShape[0]));
        }
    }

    private static IEnumerable<LayerSpec> Paths(LayerSpec unit) => unit.Main.Concat(unit.Shortcut);

    private static IEnumerable<LayerSpec> Qualified(IEnumerable<LayerSpec> path, string unit) =>
        path.Select(layer => layer with { FieldName = unit + "." + layer.FieldName });

    /// <summary>A convolution of the unit: no bias, its own batch norm (the unit's ε, momentum and scale), the unit's initializer and ℓ2.</summary>
    private static LayerSpec Conv(LayerSpec unit, string name, int kernel, int stride, Act act) =>
        new(LayerKind.Conv2D, name, unit.DeclarationIndex, EquatableArray<int>.Empty, EquatableArray<int>.Empty)
        {
            Position = unit.Position,
            Units = unit.Units,
            Kernel = kernel,
            Stride = stride,
            Padding = kernel == 1 ? Padding.Valid : unit.Padding,
            UseBias = false,
            BatchNorm = true,
            BatchNormScale = unit.BatchNormScale,
            Epsilon = unit.Epsilon,
            Momentum = unit.Momentum,
            Act = act,
            Alpha = unit.Alpha,
            DeclaredInit = unit.DeclaredInit,
            Init = NetworkFacts.ResolveInit(unit.DeclaredInit, unit.Act),
            L2 = unit.L2,
            Frozen = unit.Frozen,
        };

    /// <summary>The 1×1 projection (stride = input size / output size) from the map <paramref name="input"/> onto <paramref name="output"/>, or null when there is none.</summary>
    private static LayerSpec? BlockProjection(LayerSpec unit, int[] input, int[] output)
    {
        if (input.Length != 3 || output.Length != 3 || output[1] < 1 || output[2] < 1 || input[1] / output[1] != input[2] / output[2] || input[1] / output[1] < 1)
        {
            return null;
        }

        var stride = input[1] / output[1];
        var fits = WindowShapes.OutputSize(input[1], 1, stride, 1, Padding.Valid) == output[1] && WindowShapes.OutputSize(input[2], 1, stride, 1, Padding.Valid) == output[2];
        return fits ? Conv(unit with { Units = output[0] }, "projection", 1, stride, Act.Linear) : null;
    }

    /// <summary>A path's layers placed one after the other from <paramref name="input"/>, or null after DSL006.</summary>
    private static List<LayerSpec>? PlacePath(IEnumerable<LayerSpec> path, int[] input, List<DiagnosticInfo> diagnostics)
    {
        var placed = new List<LayerSpec>();
        var shape = input;
        foreach (var layer in path)
        {
            if (layer.Kind == LayerKind.Dense && shape.Length > 1)
            {
                WindowShapes.Report(LayerKinds.Of(layer), layer, -1, shape,
                    "a Dense inside a residual unit needs a flat input; add [GlobalAvgPool] or [Flatten] before the unit", diagnostics);
                return null;
            }

            var next = LayerKinds.Of(layer).Place(layer, shape, diagnostics);
            if (next is null)
            {
                return null;
            }

            placed.Add(next);
            shape = next.OutputShape.ToArray();
        }

        return placed;
    }
}

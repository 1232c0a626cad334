using System;
using System.Collections.Generic;
using DslNet.Generators.Emitting;
using DslNet.Generators.Model;
using DslNet.Generators.Parsing;

namespace DslNet.Generators.Kinds;

/// <summary>
/// [Whiten]: a frozen patch-whitening convolution (airbench's first layer, runtime <c>Whitening</c>): 2·C·k² filters of
/// k × k, no padding, stride 1, computed from the training images at the start of the first <c>Fit</c> (see
/// <see cref="DeclarationEmitter"/>'s <c>Adapt</c>). Its weights are non-trainable; its bias (<c>UseBias</c>) trains;
/// then <c>Act</c>.
/// </summary>
internal sealed class WhitenLayer : LayerDescriptor
{
    /// <summary>airbench's patch side.</summary>
    public const int DefaultKernel = 2;

    /// <summary>airbench's ε, added to each eigenvalue.</summary>
    public const double DefaultEpsilon = 5e-4;

    public override LayerKind Kind => LayerKind.Whiten;

    public override string FieldStem => "whiten";

    public override bool AlwaysNumbered => false;

    public override LayerSpec Read(AttributeReader reader, LayerSpec template, out int repeat)
    {
        repeat = 1;
        var kernel = reader.Int("Kernel", DefaultKernel);
        var epsilon = reader.Double("Epsilon", DefaultEpsilon);
        reader.Require(kernel >= 1, "Kernel", kernel, "at least 1");
        reader.Require(epsilon > 0 && !double.IsInfinity(epsilon), "Epsilon", epsilon, "a finite value greater than 0");
        return template with
        {
            Kernel = kernel,
            Epsilon = epsilon,
            Act = reader.Enum("Act", Act.Linear),
            UseBias = reader.Bool("UseBias", true),
        };
    }

    public override int[]? OutputShape(LayerSpec layer, int[] input, List<DiagnosticInfo> diagnostics)
    {
        if (!WindowShapes.IsMap(this, layer, input, diagnostics))
        {
            return null;
        }

        if (input[1] < layer.Kernel || input[2] < layer.Kernel)
        {
            WindowShapes.Report(this, layer, -1, input, $"its {layer.Kernel}×{layer.Kernel} patches need a map of at least {layer.Kernel}×{layer.Kernel} (it does not pad); use a smaller Kernel", diagnostics);
            return null;
        }

        return new[] { Filters(layer, input), input[1] - layer.Kernel + 1, input[2] - layer.Kernel + 1 };
    }

    public override bool HasWeights(LayerSpec layer) => true;

    public override long TrainableParameters(LayerSpec layer, int[] input) =>
        (layer.UseBias ? Filters(layer, input) : 0) + ActivationForm.Of(layer.Act).Parameters(Filters(layer, input));

    // The whitening filters: 2·C·k² of C·k² weights each, frozen (Keras counts a trainable=False weight here).
    public override long NonTrainableParameters(LayerSpec layer, int[] input) => (long)Filters(layer, input) * Patch(layer, input);

    public override IEnumerable<(string Type, string Name, string Constructor)> Components(LayerSpec layer)
    {
        yield return ("global::DslNet.Layers.Whitening", layer.FieldName,
            $"new global::DslNet.Layers.Whitening({layer.InputShape[0]}, {layer.Kernel}, {Literals.Double(layer.Epsilon)}{(layer.UseBias ? string.Empty : ", useBias: false")})");
        var act = ActivationForm.Of(layer.Act);
        if (act.NeedsModule)
        {
            yield return (act.ModuleType, layer.FieldName + "Activation", act.Constructor(layer.OutputShape[0]));
        }
    }

    public override Func<string, string>? Forward(LayerSpec layer, bool skipActivation) => x =>
        ActivationForm.Of(skipActivation ? Act.Linear : layer.Act).Apply($"{layer.FieldName}.call({x})", layer.Alpha, layer.FieldName + "Activation");

    public override IEnumerable<(string Name, string Shape, long Parameters)> SummaryRows(LayerSpec layer)
    {
        var act = layer.Act == Act.Linear ? string.Empty : ", " + ActivationForm.Of(layer.Act).KerasName;
        yield return ($"{layer.FieldName} ({Kind}{act})", Shape(layer), layer.TrainableParameters + layer.NonTrainableParameters);
    }

    public override string OnnxCalls(LayerSpec layer) =>
        $".Conv2D({layer.FieldName}.Weight, {layer.FieldName}.Bias, 1, 1, 0, 0, 0, 0)" + ActivationForm.Of(layer.Act).OnnxCall(layer.Alpha, layer.FieldName + "Activation");

    public override IEnumerable<(string Name, string Constructor)> PyTorchModules(LayerSpec layer)
    {
        yield return (layer.FieldName, $"Whitening({layer.InputShape[0]}, {layer.Kernel}{(layer.UseBias ? string.Empty : ", bias=False")})");
        var act = ActivationForm.Of(layer.Act);
        if (act.NeedsModule)
        {
            yield return (layer.FieldName + "Activation", act.PyTorchConstructor(layer.OutputShape[0]));
        }
    }

    public override Func<string, string>? PyTorchForward(LayerSpec layer, bool skipActivation) => x =>
        ActivationForm.Of(skipActivation ? Act.Linear : layer.Act).PyTorch($"self.{layer.FieldName}({x})", layer.Alpha, layer.FieldName + "Activation");

    public override string DescribeForShape(LayerSpec layer) => $"layer {layer.Position} (Whiten {layer.Kernel}×{layer.Kernel})";

    public override string DescribeForRules(LayerSpec layer, string times) =>
        $"Whiten {layer.Kernel}×{layer.Kernel}{times}" + (layer.Act == Act.Linear ? string.Empty : ", " + layer.Act);

    private static int Patch(LayerSpec layer, IReadOnlyList<int> input) => (input.Count == 0 ? 0 : input[0]) * layer.Kernel * layer.Kernel;

    private static int Filters(LayerSpec layer, IReadOnlyList<int> input) => 2 * Patch(layer, input);
}

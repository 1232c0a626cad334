using System;
using System.Collections.Generic;
using DslNet.Generators.Emitting;
using DslNet.Generators.Model;
using DslNet.Generators.Parsing;

namespace DslNet.Generators.Kinds;

/// <summary>
/// What [Dense] and [Conv2D] share: a kernel and an optional bias, then an optional batch norm of their own, then an
/// activation (a module when it has weights); the arguments that go with them; rows, forward and ONNX calls in that order.
/// </summary>
internal abstract class WeightedLayer : LayerDescriptor
{
    /// <summary>The largest <c>Repeat</c>: more identical layers than any trainable network has, and each one is generated code.</summary>
    public const int MaxRepeat = 1000;

    /// <summary>The module type of the kernel's own field.</summary>
    protected abstract string ModuleType { get; }

    /// <summary>The batch norm's TorchSharp kind (<c>BatchNorm1d</c>, <c>BatchNorm2d</c>).</summary>
    protected abstract string NormKind { get; }

    /// <summary>The kernel's weights (without bias).</summary>
    protected abstract long KernelWeights(LayerSpec layer, IReadOnlyList<int> input);

    /// <summary>The expression that builds and initializes the kernel's module.</summary>
    protected abstract string Constructor(LayerSpec layer);

    /// <summary>The Python expression that builds the kernel's module in the PyTorch twin.</summary>
    protected abstract string PyTorchConstructor(LayerSpec layer);

    /// <summary>The ONNX call of the linear part.</summary>
    protected abstract string OnnxLinear(LayerSpec layer);

    /// <summary>The kernel, as the generated code names it (for penalties and constraints).</summary>
    public abstract string Kernel(LayerSpec layer);

    public override bool HasWeights(LayerSpec layer) => true;

    public override string DescribeForRules(LayerSpec layer, string times) =>
        Size(layer) + times + (layer.Act == Act.Linear ? string.Empty : ", " + layer.Act);

    /// <summary>The layer's size in the rules' words: <c>Dense 100</c>, <c>Conv2D 64, 3×3</c>.</summary>
    protected abstract string Size(LayerSpec layer);

    public override long TrainableParameters(LayerSpec layer, int[] input) =>
        KernelWeights(layer, input) + (layer.UseBias ? layer.Units : 0) + (layer.BatchNorm ? (layer.BatchNormScale ? 2L : 1L) * layer.Units : 0) + ActivationForm.Of(layer.Act).Parameters(layer.Units);

    public override long NonTrainableParameters(LayerSpec layer, int[] input) => layer.BatchNorm ? 2L * layer.Units : 0;

    public override IEnumerable<(string Type, string Name, string Constructor)> Components(LayerSpec layer)
    {
        yield return (ModuleType, layer.FieldName, Constructor(layer));
        if (layer.BatchNorm)
        {
            yield return ($"global::TorchSharp.Modules.{NormKind}", layer.FieldName + "Norm", BatchNormLayer.Constructor(NormKind, layer.Units, layer, layer.BatchNormScale));
        }

        var act = ActivationForm.Of(layer.Act);
        if (act.NeedsModule)
        {
            yield return (act.ModuleType, layer.FieldName + "Activation", act.Constructor(layer.Units));
        }
    }

    public override Func<string, string>? Forward(LayerSpec layer, bool skipActivation) => x =>
    {
        var linear = $"{layer.FieldName}.call({x})";
        var act = ActivationForm.Of(skipActivation ? Act.Linear : layer.Act);
        if (!layer.BatchNorm)
        {
            return act.Apply(linear, layer.Alpha, layer.FieldName + "Activation");
        }

        // The batch norm's output is fresh and its backward does not read it: a ReLU after it may run in place.
        return act.ApplyToFresh($"{layer.FieldName}Norm.call({linear})", layer.Alpha, layer.FieldName + "Activation");
    };

    public override IEnumerable<(string Name, string Constructor)> PyTorchModules(LayerSpec layer)
    {
        yield return (layer.FieldName, PyTorchConstructor(layer));
        if (layer.BatchNorm)
        {
            yield return (layer.FieldName + "Norm", BatchNormLayer.PyTorchConstructor(NormKind, layer.Units, layer, layer.BatchNormScale));
        }

        var act = ActivationForm.Of(layer.Act);
        if (act.NeedsModule)
        {
            yield return (layer.FieldName + "Activation", act.PyTorchConstructor(layer.Units));
        }
    }

    public override Func<string, string>? PyTorchForward(LayerSpec layer, bool skipActivation) => x =>
    {
        var linear = $"self.{layer.FieldName}({x})";
        if (layer.BatchNorm)
        {
            linear = $"self.{layer.FieldName}Norm({linear})";
        }

        return ActivationForm.Of(skipActivation ? Act.Linear : layer.Act).PyTorch(linear, layer.Alpha, layer.FieldName + "Activation");
    };

    public override IEnumerable<(string Name, string Shape, long Parameters)> SummaryRows(LayerSpec layer)
    {
        var act = layer.Act == Act.Linear ? string.Empty : ", " + ActivationForm.Of(layer.Act).KerasName;
        if (!layer.BatchNorm)
        {
            yield return ($"{layer.FieldName} ({Kind}{act})", Shape(layer), layer.TrainableParameters);
            yield break;
        }

        var linear = KernelWeights(layer, layer.InputShape) + (layer.UseBias ? layer.Units : 0);
        yield return ($"{layer.FieldName} ({Kind})", Shape(layer), linear);
        yield return ($"{layer.FieldName}Norm (BatchNorm{act})", Shape(layer), layer.TrainableParameters + layer.NonTrainableParameters - linear);
    }

    public override string OnnxCalls(LayerSpec layer)
    {
        var calls = OnnxLinear(layer);
        if (layer.BatchNorm)
        {
            calls += BatchNormLayer.OnnxCall(layer.FieldName + "Norm", layer);
        }

        return calls + ActivationForm.Of(layer.Act).OnnxCall(layer.Alpha, layer.FieldName + "Activation");
    }

    /// <summary>Reads <c>Repeat</c> (1 to <see cref="MaxRepeat"/>).</summary>
    protected static int ReadRepeat(AttributeReader reader)
    {
        var repeat = reader.Int("Repeat", 1);
        reader.Require(repeat >= 1, "Repeat", repeat, "at least 1");
        reader.Require(repeat <= MaxRepeat, "Repeat", repeat, $"at most {MaxRepeat}");
        return repeat > MaxRepeat ? 1 : repeat; // an error already; never unroll a runaway count into the compiler
    }

    /// <summary>The arguments a Dense and a Conv2D share: activation, initializer, bias, batch norm, regularization.</summary>
    protected static LayerSpec ReadWeighted(AttributeReader reader, LayerSpec template)
    {
        var l1 = reader.Double("L1", 0);
        var l2 = reader.Double("L2", 0);
        var maxNorm = reader.Double("MaxNorm", 0);
        var initValue = reader.Double("InitValue", 0);
        var alpha = reader.Double("Alpha", double.NaN);
        reader.Require(l1 >= 0 && !double.IsInfinity(l1), "L1", l1, "a finite value ≥ 0");
        reader.Require(l2 >= 0 && !double.IsInfinity(l2), "L2", l2, "a finite value ≥ 0");
        reader.Require(maxNorm >= 0 && !double.IsInfinity(maxNorm), "MaxNorm", maxNorm, "a finite value ≥ 0 (0 = off)");
        reader.Require(!double.IsNaN(initValue) && !double.IsInfinity(initValue), "InitValue", initValue, "a finite number");
        reader.Require(double.IsNaN(alpha) || (alpha >= 0 && !double.IsInfinity(alpha)), "Alpha", alpha, "a finite value ≥ 0");
        var epsilon = reader.Double("BatchNormEpsilon", KerasDefaults.BatchNormEpsilon);
        var momentum = reader.Double("BatchNormMomentum", KerasDefaults.BatchNormMomentum);
        reader.Require(epsilon > 0 && !double.IsInfinity(epsilon), "BatchNormEpsilon", epsilon, "greater than 0");
        reader.Require(momentum >= 0 && momentum < 1, "BatchNormMomentum", momentum, "in [0, 1) (Keras meaning: the moving average keeps this fraction)");
        var declaredInit = reader.Enum("Init", Init.Auto);
        var act = reader.Enum("Act", Act.Linear);
        return template with
        {
            Act = act,
            DeclaredInit = declaredInit,
            Init = NetworkFacts.ResolveInit(declaredInit, act),
            InitValue = initValue,
            UseBias = reader.Bool("UseBias", true),
            BatchNorm = reader.Bool("BatchNorm", false),
            Epsilon = epsilon,
            Momentum = momentum,
            BatchNormScale = reader.Bool("BatchNormScale", true),
            L1 = l1,
            L2 = l2,
            MaxNorm = maxNorm,
            Alpha = alpha,
        };
    }

    /// <summary>The trailing arguments of <c>Dense(…)</c> / <c>Conv2D(…)</c> that differ from their defaults.</summary>
    protected static string BiasAndInitValue(LayerSpec layer) =>
        (layer.UseBias ? string.Empty : ", useBias: false") + (layer.Init == Init.Constant ? ", initValue: " + Literals.Double(layer.InitValue) : string.Empty);
}

using System.Collections.Generic;
using DslNet.Generators.Emitting;
using DslNet.Generators.Model;
using DslNet.Generators.Parsing;

namespace DslNet.Generators.Kinds;

/// <summary>[Standardize]: Keras' <c>Normalization</c>, per-feature statistics of the training set (non-trainable).</summary>
internal sealed class StandardizeLayer : LayerDescriptor
{
    public override LayerKind Kind => LayerKind.Standardize;

    public override string FieldStem => "standardize";

    public override bool AlwaysNumbered => false;

    public override long NonTrainableParameters(LayerSpec layer, int[] input) => 2L * NetworkFacts.Product(input);

    public override IEnumerable<(string Type, string Name, string Constructor)> Components(LayerSpec layer)
    {
        yield return ("global::DslNet.Layers.Standardization", layer.FieldName, $"new global::DslNet.Layers.Standardization({string.Join(", ", layer.InputShape)})");
    }

    public override IEnumerable<(string Name, string Constructor)> PyTorchModules(LayerSpec layer)
    {
        yield return (layer.FieldName, $"Standardization({string.Join(", ", layer.InputShape)})");
    }

    public override System.Func<string, string>? PyTorchForward(LayerSpec layer, bool skipActivation) => PyTorchCall(layer.FieldName);

    public override string OnnxCalls(LayerSpec layer) => $".Standardize({layer.FieldName}.Mean, {layer.FieldName}.Std)";
}

/// <summary>[Flatten] (or the one inserted before a Dense that follows a map): every dimension but the batch in one.</summary>
internal sealed class FlattenLayer : LayerDescriptor
{
    public override LayerKind Kind => LayerKind.Flatten;

    public override string FieldStem => "flatten";

    public override bool AlwaysNumbered => false;

    public override int[]? OutputShape(LayerSpec layer, int[] input, List<DiagnosticInfo> diagnostics) => new[] { NetworkFacts.Product(input) };

    public override IEnumerable<(string Type, string Name, string Constructor)> Components(LayerSpec layer)
    {
        yield return ("global::TorchSharp.Modules.Flatten", layer.FieldName, "global::TorchSharp.torch.nn.Flatten()");
    }

    /// <summary>[Reuse] counts rows with Flatten aside: it has no weights and is re-inserted where needed.</summary>
    public override int ReuseRows(LayerSpec layer) => 0;

    public override IEnumerable<(string Name, string Constructor)> PyTorchModules(LayerSpec layer)
    {
        yield return (layer.FieldName, "nn.Flatten()");
    }

    public override System.Func<string, string>? PyTorchForward(LayerSpec layer, bool skipActivation) => PyTorchCall(layer.FieldName);

    public override string OnnxCalls(LayerSpec layer) => ".Flatten()";
}

/// <summary>[BatchNorm]: batch normalization over the channels (dimension 1 of the batch), Keras' momentum and ε.</summary>
internal sealed class BatchNormLayer : LayerDescriptor
{
    public override LayerKind Kind => LayerKind.BatchNorm;

    public override string FieldStem => "batchNorm";

    public override LayerSpec Read(AttributeReader reader, LayerSpec template, out int repeat)
    {
        repeat = 1;
        var momentum = reader.Double("Momentum", KerasDefaults.BatchNormMomentum);
        var epsilon = reader.Double("Epsilon", KerasDefaults.BatchNormEpsilon);
        reader.Require(momentum >= 0 && momentum < 1, "Momentum", momentum, "in [0, 1) (Keras meaning: the moving average keeps this fraction)");
        reader.Require(epsilon > 0 && !double.IsInfinity(epsilon), "Epsilon", epsilon, "greater than 0");
        return template with { Momentum = momentum, Epsilon = epsilon };
    }

    public override bool HasWeights(LayerSpec layer) => true;

    public override long TrainableParameters(LayerSpec layer, int[] input) => 2L * (input.Length == 0 ? 0 : input[0]);

    public override long NonTrainableParameters(LayerSpec layer, int[] input) => 2L * (input.Length == 0 ? 0 : input[0]);

    public override IEnumerable<(string Type, string Name, string Constructor)> Components(LayerSpec layer)
    {
        var kind = layer.InputShape.Count switch { 1 or 2 => "BatchNorm1d", 3 => "BatchNorm2d", _ => "BatchNorm3d" };
        yield return ($"global::TorchSharp.Modules.{kind}", layer.FieldName, Constructor(kind, layer.InputShape[0], layer));
    }

    public override IEnumerable<(string Name, string Constructor)> PyTorchModules(LayerSpec layer)
    {
        var kind = layer.InputShape.Count switch { 1 or 2 => "BatchNorm1d", 3 => "BatchNorm2d", _ => "BatchNorm3d" };
        yield return (layer.FieldName, PyTorchConstructor(kind, layer.InputShape[0], layer));
    }

    public override System.Func<string, string>? PyTorchForward(LayerSpec layer, bool skipActivation) => PyTorchCall(layer.FieldName);

    public override string OnnxCalls(LayerSpec layer) => OnnxCall(layer.FieldName, layer);

    /// <summary>The twin's batch norm: torch's momentum is 1 − Keras' (as in <see cref="Constructor"/>); without a scale, a shift alone.</summary>
    public static string PyTorchConstructor(string kind, long features, LayerSpec layer, bool scale = true)
    {
        var arguments = $"{features}, eps={Literals.Double(layer.Epsilon)}, momentum={Literals.Double(System.Math.Round(1 - layer.Momentum, 12))}";
        return scale ? $"nn.{kind}({arguments})" : $"without_scale(nn.{kind}({arguments}, affine=False))";
    }

    // Keras' momentum m keeps m of the moving average; torch's momentum is the weight of the new batch: 1 − m.
    // Without a scale (Keras' scale=False) the norm is built without affine parameters and given a shift alone.
    public static string Constructor(string kind, long features, LayerSpec layer, bool scale = true)
    {
        var momentum = Literals.Double(System.Math.Round(1 - layer.Momentum, 12));
        return scale
            ? $"global::TorchSharp.torch.nn.{kind}({features}, eps: {Literals.Double(layer.Epsilon)}, momentum: {momentum})"
            : $"global::DslNet.Layers.BatchNorms.WithoutScale(global::TorchSharp.torch.nn.{kind}({features}, eps: {Literals.Double(layer.Epsilon)}, momentum: {momentum}, affine: false))";
    }

    /// <summary>The ONNX call of the batch norm held in the field <paramref name="field"/>, with its moving statistics.</summary>
    public static string OnnxCall(string field, LayerSpec layer) =>
        $".BatchNorm({field}.weight, {field}.bias, {field}.running_mean!, {field}.running_var!, {Literals.Double(layer.Epsilon)})";
}

/// <summary>[Activation(act)]: an activation on its own (a module when it has weights).</summary>
internal sealed class ActivationLayer : LayerDescriptor
{
    public override LayerKind Kind => LayerKind.Activation;

    public override string FieldStem => "activation";

    public override LayerSpec Read(AttributeReader reader, LayerSpec template, out int repeat)
    {
        repeat = 1;
        var alpha = reader.Double("Alpha", double.NaN);
        reader.Require(double.IsNaN(alpha) || (alpha >= 0 && !double.IsInfinity(alpha)), "Alpha", alpha, "a finite value ≥ 0");
        return template with { Act = reader.PositionalEnum(0, "act", Act.Linear), Alpha = alpha };
    }

    public override bool HasWeights(LayerSpec layer) => ActivationForm.Of(layer.Act).NeedsModule;

    public override long TrainableParameters(LayerSpec layer, int[] input) => ActivationForm.Of(layer.Act).Parameters(input.Length == 0 ? 0 : input[0]);

    public override IEnumerable<(string Type, string Name, string Constructor)> Components(LayerSpec layer)
    {
        var act = ActivationForm.Of(layer.Act);
        if (act.NeedsModule)
        {
            yield return (act.ModuleType, layer.FieldName, act.Constructor(layer.InputShape[0]));
        }
    }

    public override System.Func<string, string>? Forward(LayerSpec layer, bool skipActivation) =>
        skipActivation || layer.Act == Act.Linear ? null : x => ActivationForm.Of(layer.Act).Apply(x, layer.Alpha, layer.FieldName);

    public override IEnumerable<(string Name, string Shape, long Parameters)> SummaryRows(LayerSpec layer)
    {
        yield return ($"{layer.FieldName} ({ActivationForm.Of(layer.Act).KerasName})", Shape(layer), layer.TrainableParameters);
    }

    public override IEnumerable<(string Name, string Constructor)> PyTorchModules(LayerSpec layer)
    {
        var act = ActivationForm.Of(layer.Act);
        if (act.NeedsModule)
        {
            yield return (layer.FieldName, act.PyTorchConstructor(layer.InputShape[0]));
        }
    }

    public override System.Func<string, string>? PyTorchForward(LayerSpec layer, bool skipActivation) =>
        skipActivation || layer.Act == Act.Linear ? null : x => ActivationForm.Of(layer.Act).PyTorch(x, layer.Alpha, layer.FieldName);

    public override string DescribeForRules(LayerSpec layer, string times) => $"Activation {layer.Act}{times}";

    public override string OnnxCalls(LayerSpec layer) => ActivationForm.Of(layer.Act).OnnxCall(layer.Alpha, layer.FieldName);
}

/// <summary>[Dropout(rate)] and [AlphaDropout(rate)]: active while training, the identity at inference (and in ONNX).</summary>
internal sealed class DropoutLayer : LayerDescriptor
{
    private readonly bool alpha;

    private DropoutLayer(bool alpha) => this.alpha = alpha;

    public static DropoutLayer Plain { get; } = new(alpha: false);

    public static DropoutLayer Alpha { get; } = new(alpha: true);

    public override LayerKind Kind => alpha ? LayerKind.AlphaDropout : LayerKind.Dropout;

    public override string FieldStem => alpha ? "alphaDropout" : "dropout";

    public override bool IsDropout => true;

    public override string DescribeForRules(LayerSpec layer, string times) => $"{Kind} {ValueText.Format(layer.Rate)}{times}";

    public override LayerSpec Read(AttributeReader reader, LayerSpec template, out int repeat)
    {
        repeat = 1;
        var rate = reader.PositionalDouble(0, 0);
        reader.Require(rate >= 0 && rate < 1, "rate", rate, "in [0, 1)", 0);
        return template with { Rate = rate };
    }

    public override IEnumerable<(string Type, string Name, string Constructor)> Components(LayerSpec layer)
    {
        var type = alpha ? "AlphaDropout" : "Dropout";
        yield return ($"global::TorchSharp.Modules.{type}", layer.FieldName, $"global::TorchSharp.torch.nn.{type}({Literals.Double(layer.Rate)})");
    }

    public override IEnumerable<(string Name, string Constructor)> PyTorchModules(LayerSpec layer)
    {
        yield return (layer.FieldName, $"nn.{(alpha ? "AlphaDropout" : "Dropout")}({Literals.Double(layer.Rate)})");
    }

    public override System.Func<string, string>? PyTorchForward(LayerSpec layer, bool skipActivation) => PyTorchCall(layer.FieldName);

    public override string OnnxCalls(LayerSpec layer) => string.Empty;
}

/// <summary>[GlobalAvgPool]: the mean over H and W of each channel, (C, H, W) → (C).</summary>
internal sealed class GlobalAvgPoolLayer : LayerDescriptor
{
    public override LayerKind Kind => LayerKind.GlobalAvgPool;

    public override string FieldStem => "globalAvgPool";

    public override bool AlwaysNumbered => false;

    public override int[]? OutputShape(LayerSpec layer, int[] input, List<DiagnosticInfo> diagnostics) =>
        WindowShapes.IsMap(this, layer, input, diagnostics) ? new[] { input[0] } : null;

    public override IEnumerable<(string Type, string Name, string Constructor)> Components(LayerSpec layer)
    {
        yield return ("global::DslNet.Layers.GlobalAveragePooling2D", layer.FieldName, "new global::DslNet.Layers.GlobalAveragePooling2D()");
    }

    public override IEnumerable<(string Name, string Constructor)> PyTorchModules(LayerSpec layer)
    {
        yield return (layer.FieldName, "GlobalAvgPool()");
    }

    public override System.Func<string, string>? PyTorchForward(LayerSpec layer, bool skipActivation) => PyTorchCall(layer.FieldName);

    public override string OnnxCalls(LayerSpec layer) => ".GlobalAvgPool()";
}

/// <summary>[RandomFlip] and [RandomCrop(padding)]: augmentation while training, the identity at inference (and in ONNX).</summary>
internal sealed class AugmentationLayer : LayerDescriptor
{
    private readonly bool crop;

    private AugmentationLayer(bool crop) => this.crop = crop;

    public static AugmentationLayer Flip { get; } = new(crop: false);

    public static AugmentationLayer Crop { get; } = new(crop: true);

    public override LayerKind Kind => crop ? LayerKind.RandomCrop : LayerKind.RandomFlip;

    public override string FieldStem => crop ? "randomCrop" : "randomFlip";

    public override bool AlwaysNumbered => false;

    public override LayerSpec Read(AttributeReader reader, LayerSpec template, out int repeat)
    {
        repeat = 1;
        if (!crop)
        {
            return template;
        }

        var padding = reader.PositionalInt(0, 0);
        reader.Require(padding >= 1, "padding", padding, "at least 1", 0);
        return template with { CropPadding = padding };
    }

    public override int[]? OutputShape(LayerSpec layer, int[] input, List<DiagnosticInfo> diagnostics) =>
        WindowShapes.IsMap(this, layer, input, diagnostics) ? input : null;

    // Each augmentation layer draws from its own generator, seeded from the model's seed and its place in the network.
    public override IEnumerable<(string Type, string Name, string Constructor)> Components(LayerSpec layer)
    {
        var seed = $"(Declaration.Seed * 1000L) + {layer.Position}";
        yield return crop
            ? ("global::DslNet.Layers.RandomPaddedCrop", layer.FieldName, $"new global::DslNet.Layers.RandomPaddedCrop({layer.CropPadding}, seed: {seed})")
            : ("global::DslNet.Layers.RandomHorizontalFlip", layer.FieldName, $"new global::DslNet.Layers.RandomHorizontalFlip(seed: {seed})");
    }

    // Training-only in the twin too (its random draws are torch's, not DslNet's generators).
    public override IEnumerable<(string Name, string Constructor)> PyTorchModules(LayerSpec layer)
    {
        yield return (layer.FieldName, crop ? $"RandomCrop({layer.CropPadding})" : "RandomFlip()");
    }

    public override System.Func<string, string>? PyTorchForward(LayerSpec layer, bool skipActivation) => PyTorchCall(layer.FieldName);

    public override string OnnxCalls(LayerSpec layer) => string.Empty;

    public override string DescribeForShape(LayerSpec layer) => crop ? $"layer {layer.Position} (RandomCrop {layer.CropPadding})" : base.DescribeForShape(layer);
}

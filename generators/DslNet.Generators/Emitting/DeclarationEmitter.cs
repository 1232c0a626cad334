using System;
using System.Collections.Generic;
using System.Linq;
using DslNet.Generators.Helpers;
using DslNet.Generators.Model;

namespace DslNet.Generators.Emitting;

/// <summary>
/// Writes a model's declaration (the runtime's <c>ModelDeclaration</c>: name, facts and the training attributes with every
/// Keras argument written out) and the <c>DslModule</c> overrides the model declares: <c>Adapt</c> ([Standardize]),
/// <c>Penalty</c> (ℓ1/ℓ2) and <c>ApplyConstraints</c> (max-norm).
/// </summary>
internal static class DeclarationEmitter
{
    private const string Training = "global::DslNet.Training";

    public static void Emit(SourceWriter w, ModelSpec model)
    {
        w.Line("private static readonly global::DslNet.ModelDeclaration declaration = new(");
        w.Indent();
        w.Line($"Name: {Literals.String(model.Name)}, SampleShape: SampleShape.ToArray(), Summary: Summary, ParameterCount: ParameterCount, Seed: {model.Seed},");
        var t = model.Train;
        w.Line($"Train: new global::DslNet.TrainAttribute {{ Epochs = {t.Epochs}, BatchSize = {t.BatchSize}, Shuffle = {Literals.Bool(t.Shuffle)} }},");
        w.Line($"Optimizer: {Optimizer(model.Optimizer)},");
        w.Line($"Schedule: {Schedule(model.Schedule)},");
        var e = model.EarlyStopping;
        w.Line(e is null
            ? "EarlyStopping: null,"
            : $"EarlyStopping: new global::DslNet.EarlyStoppingAttribute {{ Monitor = global::DslNet.Monitored.{e.Monitor}, Patience = {e.Patience}, MinDelta = {Literals.Double(e.MinDelta)}, RestoreBestWeights = {Literals.Bool(e.RestoreBestWeights)} }},");
        w.Line($"Loss: global::DslNet.LossKind.{model.Loss}, Output: {Training}.OutputKind.{model.OutputKind})");
        var outputUnits = NetworkFacts.Product(model.Layers.Count == 0 ? model.InputShape : model.Layers[model.Layers.Count - 1].OutputShape);
        var tta = model.TestTimeAugmentation;
        w.Line($"{{ OutputUnits = {outputUnits}{(model.LabelSmoothing > 0 ? $", LabelSmoothing = {Literals.Double(model.LabelSmoothing)}" : string.Empty)}" +
               (tta is null ? string.Empty : $", TestTimeAugmentation = new global::DslNet.TestTimeAugmentationAttribute {{ Flip = {Literals.Bool(tta.Flip)}, Translate = {tta.Translate} }}") +
               " };");
        w.Outdent();
        w.Line();
    }

    /// <summary>The overrides of <c>DslModule</c>'s no-op hooks that the model declares.</summary>
    public static void EmitOverrides(SourceWriter w, ModelSpec model)
    {
        var standardize = model.Layers.FirstOrDefault(layer => layer.Kind == LayerKind.Standardize);
        var whitenings = model.Layers.Select((layer, index) => (layer, index)).Where(pair => pair.layer.Kind == LayerKind.Whiten).ToList();
        if (standardize is not null && standardize.ReusedFrom.Length == 0 && whitenings.Count == 0)
        {
            w.Line();
            w.Line("// [Standardize]: per-feature statistics of the training set, like Keras' Normalization.adapt.");
            w.Line($"protected override void Adapt(global::DslNet.Dataset train) => {standardize.FieldName}.Adapt(train.Features);");
        }
        else if (standardize is not null || whitenings.Count > 0)
        {
            w.Line();
            if (standardize is not null)
            {
                w.Line(standardize.ReusedFrom.Length > 0
                    ? "// [Standardize]: per-feature statistics of the training set, like Keras' Normalization.adapt (kept when FromPretrained copied the source's)."
                    : "// [Standardize]: per-feature statistics of the training set, like Keras' Normalization.adapt.");
            }

            if (whitenings.Count > 0)
            {
                w.Line("// [Whiten]: frozen patch-whitening weights from the first training images as they reach the layer (the layers before it in");
                w.Line("// inference mode), computed once: a later Fit, a loaded, imported or FromPretrained model keeps the weights it holds.");
            }

            w.OpenBlock("protected override void Adapt(global::DslNet.Dataset train)");
            if (standardize is not null && standardize.ReusedFrom.Length > 0)
            {
                w.OpenBlock($"if (!{TransferEmitter.StatisticsFromPretrained})");
                w.Line($"{standardize.FieldName}.Adapt(train.Features);");
                w.CloseBlock();
            }
            else if (standardize is not null)
            {
                w.Line($"{standardize.FieldName}.Adapt(train.Features);");
            }

            foreach (var (whiten, index) in whitenings)
            {
                w.Line($"AdaptWhitening({whiten.FieldName}, train, {Before(model.Layers.Take(index))});");
            }

            w.CloseBlock();
        }

        var penalties = NetworkFacts.AllLayers(model.Layers).Where(layer => layer.Kind is LayerKind.Dense or LayerKind.Conv2D).SelectMany(Penalties).ToList();
        if (penalties.Count > 0)
        {
            w.Line();
            w.Line("// Keras-meaning weight penalties: l1(λ) adds λ·Σ|w|, l2(λ) adds λ·Σw².");
            w.Line($"protected override {Literals.Tensor}? Penalty() =>");
            w.Indent();
            for (var i = 0; i < penalties.Count; i++)
            {
                w.Line((i == 0 ? string.Empty : "+ ") + penalties[i] + (i == penalties.Count - 1 ? ";" : string.Empty));
            }

            w.Outdent();
        }

        var constrained = NetworkFacts.AllLayers(model.Layers).Where(layer => (layer.Kind is LayerKind.Dense or LayerKind.Conv2D) && layer.MaxNorm > 0).ToList();
        if (constrained.Count > 0)
        {
            w.Line();
            w.Line("// Max-norm: after each step, each unit's incoming weight vector is rescaled to a norm of at most the bound.");
            w.OpenBlock("protected override void ApplyConstraints()");
            foreach (var layer in constrained)
            {
                w.Line($"{Training}.Constraints.MaxNorm({ModelEmitter.Kernel(layer)}, {Literals.Double(layer.MaxNorm)});");
            }

            w.CloseBlock();
        }
    }

    /// <summary>The layers <paramref name="layers"/> as one lambda over <c>x</c> (their forward statements, nested), or <c>null</c> when none does anything.</summary>
    private static string Before(IEnumerable<LayerSpec> layers)
    {
        var body = "x";
        var any = false;
        foreach (var layer in layers)
        {
            if (LayerKinds.Of(layer).Forward(layer, skipActivation: false) is { } forward)
            {
                body = forward(body);
                any = true;
            }
        }

        return any ? "x => " + body : "null";
    }

    /// <summary>What training the model declares, in words: optimizer, schedule, early stopping and loss.</summary>
    public static string TrainingDescription(ModelSpec model) =>
        $"trained with {OptimizerDescription(model.Optimizer)}{(model.Schedule is null ? string.Empty : ", " + ScheduleDescription(model.Schedule))}" +
        $"{(model.EarlyStopping is null ? string.Empty : $" and early stopping (patience {model.EarlyStopping.Patience})")}, minimizing {LossDescription(model.Loss)}" +
        (model.LabelSmoothing > 0 ? $" with label smoothing {Literals.Double(model.LabelSmoothing)}" : string.Empty) +
        (model.TestTimeAugmentation is { } tta ? $"; predicting with test-time augmentation ({TestTimeAugmentationDescription(tta)})" : string.Empty);

    private static string TestTimeAugmentationDescription(TestTimeAugmentationSpec tta) =>
        (tta.Flip ? "mirror" : string.Empty) + (tta.Flip && tta.Translate > 0 ? ", " : string.Empty) +
        (tta.Translate > 0 ? $"shifts of ±{tta.Translate} pixel{(tta.Translate == 1 ? string.Empty : "s")}" : string.Empty);

    private static IEnumerable<string> Penalties(LayerSpec layer)
    {
        if (layer.L1 > 0)
        {
            yield return $"{Training}.Penalties.L1({ModelEmitter.Kernel(layer)}, {Literals.Double(layer.L1)})";
        }

        if (layer.L2 > 0)
        {
            yield return $"{Training}.Penalties.L2({ModelEmitter.Kernel(layer)}, {Literals.Double(layer.L2)})";
        }
    }

    private static string Optimizer(OptimizerSpec o)
    {
        var arguments = new List<string> { $"LearningRate = {Literals.Double(o.LearningRate)}" };
        switch (o.Kind)
        {
            case OptimizerKind.Sgd:
                arguments.Add($"Momentum = {Literals.Double(o.Momentum)}");
                arguments.Add($"Nesterov = {Literals.Bool(o.Nesterov)}");
                break;
            case OptimizerKind.RmsProp:
                arguments.Add($"Rho = {Literals.Double(o.Rho)}");
                arguments.Add($"Momentum = {Literals.Double(o.Momentum)}");
                arguments.Add($"Epsilon = {Literals.Double(o.Epsilon)}");
                break;
            case OptimizerKind.AdaGrad:
                arguments.Add($"InitialAccumulator = {Literals.Double(o.InitialAccumulator)}");
                arguments.Add($"Epsilon = {Literals.Double(o.Epsilon)}");
                break;
            default:
                arguments.Add($"Beta1 = {Literals.Double(o.Beta1)}");
                arguments.Add($"Beta2 = {Literals.Double(o.Beta2)}");
                arguments.Add($"Epsilon = {Literals.Double(o.Epsilon)}");
                if (o.Kind == OptimizerKind.AdamW)
                {
                    arguments.Add($"WeightDecay = {Literals.Double(o.WeightDecay)}");
                }

                break;
        }

        if (o.ClipNorm > 0)
        {
            arguments.Add($"ClipNorm = {Literals.Double(o.ClipNorm)}");
        }

        if (o.ClipValue > 0)
        {
            arguments.Add($"ClipValue = {Literals.Double(o.ClipValue)}");
        }

        if (o.UseEma)
        {
            arguments.Add("UseEma = true");
            arguments.Add($"EmaMomentum = {Literals.Double(o.EmaMomentum)}");
        }

        return $"new global::DslNet.{o.Kind}Attribute {{ {string.Join(", ", arguments)} }}";
    }

    private static string Schedule(ScheduleSpec? s) => s?.Kind switch
    {
        null => "null",
        ScheduleKind.OneCycle =>
            $"new global::DslNet.OneCycleAttribute {{ MaxRate = {Literals.Double(s.MaxRate)}, StartRate = {Literals.Double(s.StartRate)}, LastRate = {Literals.Double(s.LastRate)}, LastIterations = {s.LastIterations} }}",
        ScheduleKind.ExponentialDecay => $"new global::DslNet.ExponentialDecayAttribute {{ Steps = {s.Steps} }}",
        ScheduleKind.PowerDecay => $"new global::DslNet.PowerDecayAttribute {{ Steps = {s.Steps}, Power = {Literals.Double(s.Power)} }}",
        ScheduleKind.PiecewiseConstant =>
            $"new global::DslNet.PiecewiseConstantAttribute(new[] {{ {string.Join(", ", s.Boundaries)} }}, new[] {{ {string.Join(", ", s.Rates.Select(Literals.Double))} }})",
        ScheduleKind.ReduceOnPlateau => $"new global::DslNet.ReduceOnPlateauAttribute {{ Monitor = global::DslNet.Monitored.{s.Monitor}, Factor = {Literals.Double(s.Factor)}, Patience = {s.Patience}, MinRate = {Literals.Double(s.MinRate)} }}",
        _ => throw new ArgumentOutOfRangeException(nameof(s), s.Kind, "Unreachable: every schedule kind is written above."),
    };

    private static string LossDescription(LossKind loss) => loss switch
    {
        LossKind.SparseCategoricalCrossEntropy => "sparse categorical cross-entropy",
        LossKind.BinaryCrossEntropy => "binary cross-entropy",
        LossKind.MeanAbsoluteError => "mean absolute error",
        LossKind.Huber => "the Huber loss",
        LossKind.MeanSquaredError => "mean squared error",
        _ => throw new ArgumentOutOfRangeException(nameof(loss), loss, "Unreachable: Auto is resolved before emitting."),
    };

    private static string OptimizerDescription(OptimizerSpec o) => o.Kind switch
    {
        _ when o.DeclarationIndex < 0 => $"Keras' default optimizer, RMSprop (learning rate {Literals.Double(o.LearningRate)})",
        OptimizerKind.Sgd => $"SGD (learning rate {Literals.Double(o.LearningRate)}{(o.Momentum > 0 ? $", momentum {Literals.Double(o.Momentum)}{(o.Nesterov ? ", Nesterov" : string.Empty)}" : string.Empty)})",
        _ => $"{o.Kind} (learning rate {Literals.Double(o.LearningRate)})",
    };

    private static string ScheduleDescription(ScheduleSpec s) => s.Kind switch
    {
        ScheduleKind.OneCycle => $"the 1cycle schedule (max rate {Literals.Double(s.MaxRate)})",
        ScheduleKind.ExponentialDecay => "exponential decay",
        ScheduleKind.PowerDecay => "power decay",
        ScheduleKind.PiecewiseConstant => "a piecewise constant rate",
        ScheduleKind.ReduceOnPlateau => "performance scheduling (reduce on plateau)",
        _ => throw new ArgumentOutOfRangeException(nameof(s), s.Kind, "Unreachable: every schedule kind is described above."),
    };
}

using System.Collections.Generic;
using System.Linq;
using DslNet.Generators.Helpers;
using DslNet.Generators.Model;

namespace DslNet.Generators.Emitting;

/// <summary>
/// Writes the training members of a model: Fit, Evaluate, Predict, PredictMonteCarlo (with dropout), FindLearningRate,
/// Save/Load, and the <c>ITrainableModel</c> members the runtime's loop calls (loss, penalties, constraints).
/// </summary>
internal static class TrainingEmitter
{
    private const string Training = "global::DslNet.Training";
    private const string Dataset = "global::DslNet.Dataset";

    public static void Emit(SourceWriter w, ModelSpec model)
    {
        EmitFit(w, model);
        EmitInference(w, model);
        EmitLearningRateSearch(w, model);
        EmitPersistence(w, model);
        EmitTrainableMembers(w, model);
        EmitOptimizer(w, model);
    }

    private static void EmitFit(SourceWriter w, ModelSpec model)
    {
        w.Line("/// <summary>");
        w.Line($"/// Trains the model on <paramref name=\"train\"/> with {OptimizerDescription(model.Optimizer)}{(model.Schedule is null ? string.Empty : ", " + ScheduleDescription(model.Schedule))}" +
               $"{(model.EarlyStopping is null ? string.Empty : $" and early stopping (patience {model.EarlyStopping.Patience})")}, minimizing {LossDescription(model.Loss)}.");
        w.Line("/// </summary>");
        w.Line($"public global::DslNet.History Fit({Dataset} train, {Dataset}? validation = null, global::DslNet.FitOptions? options = null)");
        w.Line("{");
        w.Indent();
        w.Line("global::System.ArgumentNullException.ThrowIfNull(train);");
        w.Line("var settings = CreateSettings(options);");
        w.Line("var learningRate = options?.LearningRate ?? DeclaredLearningRate;");
        EmitAdapt(w, model);
        w.Line("using var optimizer = CreateOptimizer(learningRate);");
        w.Line(model.Schedule is null ? $"{Training}.LearningRateSchedule? schedule = null;" : $"var schedule = {Schedule(model)};");
        var stopping = model.EarlyStopping;
        w.Line(stopping is null
            ? $"{Training}.EarlyStopping? earlyStopping = null;"
            : $"var earlyStopping = new {Training}.EarlyStopping(global::DslNet.Monitored.{stopping.Monitor}, patience: {stopping.Patience}, minDelta: {Literals.Double(stopping.MinDelta)}, restoreBestWeights: {Literals.Bool(stopping.RestoreBestWeights)});");
        w.Line($"return {Training}.TrainingLoop.Fit(this, train, validation, settings, optimizer, schedule, earlyStopping);");
        w.Outdent();
        w.Line("}");
        w.Line();
    }

    private static void EmitAdapt(SourceWriter w, ModelSpec model)
    {
        var standardize = model.Layers.FirstOrDefault(layer => layer.Kind == LayerKind.Standardize);
        if (standardize is not null)
        {
            w.Line("// [Standardize]: per-feature statistics of the training set, like Keras' Normalization.adapt.");
            w.Line($"{standardize.FieldName}.Adapt(train.Features);");
        }
    }

    private static void EmitInference(SourceWriter w, ModelSpec model)
    {
        var penalties = model.Layers.Any(layer => layer.L1 > 0 || layer.L2 > 0);
        w.Line("/// <summary>The mean loss" + (penalties ? " (with the weight penalties, as Keras reports it)" : string.Empty) +
               " and the accuracy on <paramref name=\"data\"/>, in inference mode (dropout off, batch norm on its moving statistics).</summary>");
        w.Line($"public global::DslNet.Metrics Evaluate({Dataset} data) => {Training}.TrainingLoop.Evaluate(this, data, {model.Train.BatchSize}{(penalties ? ", includePenalty: true" : string.Empty)});");
        w.Line();
        w.Line("/// <summary>The model's outputs for the samples <paramref name=\"x\"/>, in inference mode, in batches.</summary>");
        w.Line($"public {Literals.Tensor} Predict({Literals.Tensor} x) => {Training}.TrainingLoop.Predict(this, x, {model.Train.BatchSize});");
        w.Line();

        var dropouts = model.Layers.Where(layer => layer.Kind is LayerKind.Dropout or LayerKind.AlphaDropout).Select(layer => layer.FieldName).ToList();
        if (dropouts.Count == 0)
        {
            return;
        }

        w.Line("/// <summary>");
        w.Line("/// Monte Carlo dropout: the mean of <paramref name=\"samples\"/> predictions with dropout kept active");
        w.Line("/// (batch norm stays in inference mode). Better calibrated probabilities, at <paramref name=\"samples\"/> times the cost.");
        w.Line("/// </summary>");
        w.Line($"public {Literals.Tensor} PredictMonteCarlo({Literals.Tensor} x, int samples = 10) =>");
        w.Line($"    {Training}.TrainingLoop.PredictMonteCarlo(this, x, samples, {model.Train.BatchSize}, new global::TorchSharp.torch.nn.Module[] {{ {string.Join(", ", dropouts)} }});");
        w.Line();
    }

    private static void EmitLearningRateSearch(SourceWriter w, ModelSpec model)
    {
        w.Line("/// <summary>");
        w.Line("/// The book's learning-rate finder: trains for <paramref name=\"epochs\"/> while the rate grows exponentially from");
        w.Line("/// <paramref name=\"minRate\"/> to <paramref name=\"maxRate\"/>, records the loss at each rate, then restores the weights and the optimizer.");
        w.Line("/// </summary>");
        w.Line($"public global::DslNet.LearningRateSearch FindLearningRate({Dataset} train, double minRate = 1e-4, double maxRate = 1, int epochs = 1)");
        w.Line("{");
        w.Indent();
        w.Line("global::System.ArgumentNullException.ThrowIfNull(train);");
        w.Line("var settings = CreateSettings(null);");
        EmitAdapt(w, model);
        w.Line("using var optimizer = CreateOptimizer(DeclaredLearningRate);");
        w.Line($"return {Training}.TrainingLoop.FindLearningRate(this, optimizer, train, minRate, maxRate, epochs, settings);");
        w.Outdent();
        w.Line("}");
        w.Line();
    }

    private static void EmitPersistence(SourceWriter w, ModelSpec model)
    {
        var hasStandardize = model.Layers.Any(layer => layer.Kind == LayerKind.Standardize);
        w.Line($"/// <summary>Saves the weights{(hasStandardize ? " and the standardization statistics" : string.Empty)} to <paramref name=\"path\"/> (atomically).</summary>");
        w.Line("public void Save(string path) => global::DslNet.IO.ModelFile.Save(this, path);");
        w.Line();
        w.Line($"/// <summary>Creates a {model.ClassName} on <paramref name=\"device\"/> with the weights saved at <paramref name=\"path\"/>.</summary>");
        w.Line($"public static {model.ClassName} Load(string path, global::TorchSharp.torch.Device? device = null)");
        w.Line("{");
        w.Indent();
        w.Line($"var model = new {model.ClassName}(device);");
        w.Line("global::DslNet.IO.ModelFile.Load(model, path, ModelName);");
        w.Line("return model;");
        w.Outdent();
        w.Line("}");
        w.Line();
    }

    private static void EmitTrainableMembers(SourceWriter w, ModelSpec model)
    {
        var classifier = model.Loss is LossKind.SparseCategoricalCrossEntropy or LossKind.BinaryCrossEntropy;
        w.Line("string global::DslNet.IModel.Name => ModelName;");
        w.Line();
        w.Line("string global::DslNet.IModel.Summary => Summary;");
        w.Line();
        w.Line("long global::DslNet.IModel.ParameterCount => ParameterCount;");
        w.Line();
        w.Line($"string {Training}.ITrainableModel.ModelName => ModelName;");
        w.Line();
        w.Line($"bool {Training}.ITrainableModel.IsClassifier => {Literals.Bool(classifier)};");
        w.Line();
        w.Line($"{Training}.OutputKind {Training}.ITrainableModel.OutputKind => {Training}.OutputKind.{model.OutputKind};");
        w.Line();
        w.Line($"// The loss: {LossDescription(model.Loss)}, computed from the logits.");
        w.Line($"{Literals.Tensor} {Training}.ITrainableModel.DataLoss({Literals.Tensor} logits, {Literals.Tensor} labels) =>");
        w.Line("    " + Loss(model) + ";");
        w.Line();

        var penalties = model.Layers.Where(layer => layer.Kind is LayerKind.Dense or LayerKind.Conv2D)
            .SelectMany(layer => Penalties(layer))
            .ToList();
        if (penalties.Count == 0)
        {
            w.Line($"{Literals.Tensor}? {Training}.ITrainableModel.Penalty() => null;");
        }
        else
        {
            w.Line("// Keras-meaning weight penalties: l1(λ) adds λ·Σ|w|, l2(λ) adds λ·Σw².");
            w.Line($"{Literals.Tensor}? {Training}.ITrainableModel.Penalty() =>");
            w.Indent();
            for (var i = 0; i < penalties.Count; i++)
            {
                w.Line((i == 0 ? string.Empty : "+ ") + penalties[i] + (i == penalties.Count - 1 ? ";" : string.Empty));
            }

            w.Outdent();
        }

        w.Line();
        var constrained = model.Layers.Where(layer => (layer.Kind is LayerKind.Dense or LayerKind.Conv2D) && layer.MaxNorm > 0).ToList();
        if (constrained.Count == 0)
        {
            w.Line($"void {Training}.ITrainableModel.ApplyConstraints()");
            w.Line("{");
            w.Line("}");
        }
        else
        {
            w.Line("// Max-norm: after each step, each unit's incoming weight vector is rescaled to a norm of at most the bound.");
            w.OpenBlock($"void {Training}.ITrainableModel.ApplyConstraints()");
            foreach (var layer in constrained)
            {
                w.Line($"{Training}.Constraints.MaxNorm({ModelEmitter.Kernel(layer)}, {Literals.Double(layer.MaxNorm)});");
            }

            w.CloseBlock();
        }

        w.Line();
    }

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

    private static void EmitOptimizer(SourceWriter w, ModelSpec model)
    {
        w.Line($"private {Training}.TrainingSettings CreateSettings(global::DslNet.FitOptions? options) =>");
        w.Line($"    new {Training}.TrainingSettings(ModelName, Epochs: {model.Train.Epochs}, BatchSize: {model.Train.BatchSize}, Shuffle: {Literals.Bool(model.Train.Shuffle)}, Seed: {model.Seed}).With(options);");
        w.Line();
        var o = model.Optimizer;
        var clip = new List<string>();
        if (o.ClipNorm > 0)
        {
            clip.Add($"ClipNorm = {Literals.Double(o.ClipNorm)}");
        }

        if (o.ClipValue > 0)
        {
            clip.Add($"ClipValue = {Literals.Double(o.ClipValue)}");
        }

        w.Line(o.DeclarationIndex < 0 ? "// No optimizer declared: Keras' default, RMSprop with learning rate 0.001." : $"// {OptimizerDescription(o)}, with Keras' meaning of every argument.");
        w.Line($"private const double DeclaredLearningRate = {Literals.Double(o.LearningRate)};");
        w.Line();
        w.Line($"private {Training}.Optimizer CreateOptimizer(double learningRate) =>");
        w.Line($"    new {Training}.{o.Kind}(parameters(), {OptimizerArguments(o)}){(clip.Count == 0 ? string.Empty : " { " + string.Join(", ", clip) + " }")};");
    }

    private static string OptimizerArguments(OptimizerSpec o)
    {
        const string rate = "learningRate";
        return o.Kind switch
        {
            OptimizerKind.Sgd => $"{rate}, momentum: {Literals.Double(o.Momentum)}, nesterov: {Literals.Bool(o.Nesterov)}",
            OptimizerKind.RmsProp => $"{rate}, rho: {Literals.Double(o.Rho)}, momentum: {Literals.Double(o.Momentum)}, epsilon: {Literals.Double(o.Epsilon)}",
            OptimizerKind.AdaGrad => $"{rate}, initialAccumulator: {Literals.Double(o.InitialAccumulator)}, epsilon: {Literals.Double(o.Epsilon)}",
            OptimizerKind.AdamW => $"{rate}, beta1: {Literals.Double(o.Beta1)}, beta2: {Literals.Double(o.Beta2)}, epsilon: {Literals.Double(o.Epsilon)}, weightDecay: {Literals.Double(o.WeightDecay)}",
            _ => $"{rate}, beta1: {Literals.Double(o.Beta1)}, beta2: {Literals.Double(o.Beta2)}, epsilon: {Literals.Double(o.Epsilon)}",
        };
    }

    private static string Schedule(ModelSpec model)
    {
        var s = model.Schedule;
        const string rate = "learningRate";
        return s?.Kind switch
        {
            null => "null",
            ScheduleKind.OneCycle =>
                $"new {Training}.OneCycleSchedule(iterations: (long)settings.StepsPerEpoch(train.Count) * settings.Epochs, maxRate: {Literals.Double(s.MaxRate)}, " +
                $"startRate: {Literals.Double(s.StartRate)}, lastRate: {Literals.Double(s.LastRate)}, lastIterations: {s.LastIterations})",
            ScheduleKind.ExponentialDecay => $"new {Training}.ExponentialDecaySchedule(initialRate: {rate}, steps: {s.Steps})",
            ScheduleKind.PowerDecay => $"new {Training}.PowerDecaySchedule(initialRate: {rate}, steps: {s.Steps}, power: {Literals.Double(s.Power)})",
            ScheduleKind.PiecewiseConstant =>
                $"new {Training}.PiecewiseConstantSchedule(new[] {{ {string.Join(", ", s.Boundaries)} }}, new[] {{ {string.Join(", ", s.Rates.Select(Literals.Double))} }})",
            _ => $"new {Training}.ReduceOnPlateauSchedule(global::DslNet.Monitored.{s.Monitor}, factor: {Literals.Double(s.Factor)}, patience: {s.Patience}, minRate: {Literals.Double(s.MinRate)})",
        };
    }

    private static string Loss(ModelSpec model)
    {
        var f = Literals.Functional;
        var outputs = ModelEmitter.OutputActivation(model, "logits");
        return model.Loss switch
        {
            LossKind.SparseCategoricalCrossEntropy => $"{f}.cross_entropy(logits, labels)",
            LossKind.BinaryCrossEntropy => $"{f}.binary_cross_entropy_with_logits(logits, labels.to_type(logits.dtype).reshape(logits.shape))",
            LossKind.MeanAbsoluteError => $"{f}.l1_loss({outputs}, labels.to_type(logits.dtype).reshape(logits.shape))",
            LossKind.Huber => $"{f}.huber_loss({outputs}, labels.to_type(logits.dtype).reshape(logits.shape))",
            _ => $"{f}.mse_loss({outputs}, labels.to_type(logits.dtype).reshape(logits.shape))",
        };
    }

    private static string LossDescription(LossKind loss) => loss switch
    {
        LossKind.SparseCategoricalCrossEntropy => "sparse categorical cross-entropy",
        LossKind.BinaryCrossEntropy => "binary cross-entropy",
        LossKind.MeanAbsoluteError => "mean absolute error",
        LossKind.Huber => "the Huber loss",
        _ => "mean squared error",
    };

    private static string OptimizerDescription(OptimizerSpec o) => o.Kind switch
    {
        OptimizerKind.Sgd => $"SGD (learning rate {Literals.Double(o.LearningRate)}{(o.Momentum > 0 ? $", momentum {Literals.Double(o.Momentum)}{(o.Nesterov ? ", Nesterov" : string.Empty)}" : string.Empty)})",
        _ => $"{o.Kind} (learning rate {Literals.Double(o.LearningRate)})",
    };

    private static string ScheduleDescription(ScheduleSpec s) => s.Kind switch
    {
        ScheduleKind.OneCycle => $"the 1cycle schedule (max rate {Literals.Double(s.MaxRate)})",
        ScheduleKind.ExponentialDecay => "exponential decay",
        ScheduleKind.PowerDecay => "power decay",
        ScheduleKind.PiecewiseConstant => "a piecewise constant rate",
        _ => "performance scheduling (reduce on plateau)",
    };
}

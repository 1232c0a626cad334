using System.Globalization;
using System.Reflection;
using System.Text;
using DslNet.IO;
using DslNet.Training;

namespace DslNet.PyTorch;

/// <summary>
/// Writes a model's PyTorch twin (<see cref="DslModule.ExportPyTorch"/>): <c>model.py</c> is DslNet's fixed prelude (the
/// layers torch lacks, embedded <c>model_prelude.py</c>) followed by the class the generator wrote from the model's layer
/// descriptors; <c>train.py</c> is the embedded script with the model's declared training (<see cref="ModelDeclaration"/>)
/// as a <c>CONFIG</c> dictionary; <c>weights.pt</c> is the module's <c>state_dict</c> written by <c>ExportWeights</c>.
/// </summary>
internal static class PyTorchTwin
{
    private const string ConfigMarker = "# @CONFIG@";

    /// <summary>Writes model.py and train.py; <paramref name="exportWeights"/> writes weights.pt (<see cref="DslModule.ExportWeights"/>).</summary>
    public static void Export(ModelDeclaration declaration, string modelSource, string directory, Action<string> exportWeights)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        AtomicFile.WriteAllText(Path.Combine(directory, "model.py"), Resource("model_prelude.py") + "\n" + modelSource);
        AtomicFile.WriteAllText(Path.Combine(directory, "train.py"), TrainScript(declaration));
        exportWeights(Path.Combine(directory, "weights.pt"));
    }

    /// <summary>The embedded train.py with the declared training as its <c>CONFIG</c>.</summary>
    public static string TrainScript(ModelDeclaration declaration)
    {
        var script = Resource("train.py");
        return script.Replace(ConfigMarker, Config(declaration), StringComparison.Ordinal);
    }

    private static string Config(ModelDeclaration d)
    {
        var b = new StringBuilder();
        b.AppendLine($"# What {d.Name} declares (DslNet attributes, Keras' meaning), written by ExportPyTorch.");
        b.AppendLine("CONFIG = {");
        b.AppendLine($"    'model': {Str(d.Name)},");
        b.AppendLine($"    'epochs': {d.Train.Epochs},");
        b.AppendLine($"    'batch_size': {d.Train.BatchSize},");
        b.AppendLine($"    'shuffle': {Bool(d.Train.Shuffle)},");
        b.AppendLine($"    'seed': {d.Seed},");
        b.AppendLine($"    'loss': {Str(Loss(d.Loss))},");
        b.AppendLine($"    'label_smoothing': {Num(d.LabelSmoothing)},");
        b.AppendLine($"    'output': {Str(d.Output.ToString().ToLowerInvariant())},");
        b.AppendLine($"    'optimizer': {Optimizer(d.Optimizer)},");
        b.AppendLine($"    'schedule': {Schedule(d.Schedule)},");
        b.Append('}');
        return b.ToString();
    }

    private static string Loss(LossKind loss) => loss switch
    {
        LossKind.SparseCategoricalCrossEntropy => "sparse_categorical_crossentropy",
        LossKind.BinaryCrossEntropy => "binary_crossentropy",
        LossKind.MeanSquaredError => "mean_squared_error",
        LossKind.MeanAbsoluteError => "mean_absolute_error",
        LossKind.Huber => "huber",
        _ => throw new ArgumentOutOfRangeException(nameof(loss), loss, "Unreachable: the declaration's loss is resolved."),
    };

    private static string Optimizer(OptimizerAttribute o)
    {
        var common = $"'learning_rate': {Num(o.LearningRate)}, 'clip_norm': {Num(o.ClipNorm)}, 'clip_value': {Num(o.ClipValue)}";
        string Adam(string kind, AdamFamilyAttribute a, string extra = "") =>
            $"{{'kind': '{kind}', {common}, 'beta1': {Num(a.Beta1)}, 'beta2': {Num(a.Beta2)}, 'epsilon': {Num(a.Epsilon)}{extra}}}";
        return o switch
        {
            SgdAttribute s => $"{{'kind': 'sgd', {common}, 'momentum': {Num(s.Momentum)}, 'nesterov': {Bool(s.Nesterov)}}}",
            RmsPropAttribute r => $"{{'kind': 'rmsprop', {common}, 'rho': {Num(r.Rho)}, 'momentum': {Num(r.Momentum)}, 'epsilon': {Num(r.Epsilon)}}}",
            AdaGradAttribute g => $"{{'kind': 'adagrad', {common}, 'initial_accumulator': {Num(g.InitialAccumulator)}, 'epsilon': {Num(g.Epsilon)}}}",
            AdamWAttribute w => Adam("adamw", w, $", 'weight_decay': {Num(w.WeightDecay)}"),
            AdamAttribute a => Adam("adam", a),
            AdaMaxAttribute m => Adam("adamax", m),
            NadamAttribute n => Adam("nadam", n),
            _ => throw new ArgumentException($"No PyTorch twin for the optimizer {o.GetType().Name}.", nameof(o)),
        };
    }

    private static string Schedule(ScheduleAttribute? s) => s switch
    {
        null => "None",
        OneCycleAttribute c => $"{{'kind': 'one_cycle', 'max_rate': {Num(c.MaxRate)}, 'start_rate': {Num(c.StartRate)}, 'last_rate': {Num(c.LastRate)}, 'last_iterations': {c.LastIterations}}}",
        ExponentialDecayAttribute e => $"{{'kind': 'exponential', 'steps': {e.Steps}}}",
        PowerDecayAttribute p => $"{{'kind': 'power', 'steps': {p.Steps}, 'power': {Num(p.Power)}}}",
        PiecewiseConstantAttribute p => $"{{'kind': 'piecewise', 'boundaries': [{string.Join(", ", p.Boundaries)}], 'rates': [{string.Join(", ", p.Rates.Select(Num))}]}}",
        ReduceOnPlateauAttribute => "{'kind': 'reduce_on_plateau'}",
        _ => throw new ArgumentException($"No PyTorch twin for the schedule {s.GetType().Name}.", nameof(s)),
    };

    private static string Num(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Bool(bool value) => value ? "True" : "False";

    private static string Str(string value) => "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    private static string Resource(string name)
    {
        using var stream = typeof(PyTorchTwin).Assembly.GetManifestResourceStream("DslNet.PyTorch." + name)
            ?? throw new InvalidOperationException($"The DslNet assembly lacks its embedded {name}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}

using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace DslNet.Training;

/// <summary>
/// The one check of the data given to <c>Fit</c>, <c>Evaluate</c>, <c>Predict</c> and <c>FindLearningRate</c>, before any
/// step: every mistake is one <see cref="ArgumentException"/> naming the model, the set and the problem, with the fix.
/// What Keras accepts is converted to the canonical form instead (float64, float16 and integer features to float32;
/// class indices of any integer type, <c>[N]</c> or <c>[N, 1]</c>, to int64 <c>[N]</c>; binary and regression
/// targets to float32).
/// </summary>
/// <remarks>
/// Cost: canonical data is neither copied nor converted; the only full pass over the features is one sum (finite sum ⇒
/// no NaN or ±Inf), and the bad values are located only when there are some. Labels are small.
/// </remarks>
internal static class InputValidation
{
    /// <summary>The data set <paramref name="data"/> (called <paramref name="role"/> in messages, e.g. "training") checked, converted where Keras would.</summary>
    public static Dataset Check(ITrainableModel model, Dataset data, string role)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Count == 0)
        {
            throw new ArgumentException(
                $"{model.Name}: the {role} set is empty (features {Dataset.ShapeText(data.Features.shape)}). Pass a {role} set with at least one sample" +
                (role == "validation" ? ", or no validation set at all." : "."),
                Parameter(role));
        }

        var features = Features(model, data.Features, $"{role} features");
        var labels = Labels(model, data.Labels, role);
        var weights = data.Weights is null ? null : SampleWeights(model, data.Weights, data.Count, role);
        return ReferenceEquals(features, data.Features) && ReferenceEquals(labels, data.Labels) && ReferenceEquals(weights, data.Weights)
            ? data
            : Dataset.With(features, labels, weights);
    }

    /// <summary>
    /// Sample weights (Keras' <c>sample_weight</c>) checked as labels are: one real number per sample (<c>[N]</c> or
    /// <c>[N, 1]</c>), finite and ≥ 0; converted to float32 <c>[N]</c>.
    /// </summary>
    private static Tensor SampleWeights(ITrainableModel model, Tensor weights, int count, string role)
    {
        var what = $"{role} sample weights";
        if (!(weights.dim() == 1 || (weights.dim() == 2 && weights.shape[1] == 1)) || weights.shape[0] != count)
        {
            throw new ArgumentException(
                $"{model.Name}: the {what} have shape {Dataset.ShapeText(weights.shape)}, but sample weights are one number per sample, of shape [{count}] or [{count}, 1].",
                Parameter(what));
        }

        if (weights.dtype == ScalarType.Bool || weights.is_complex())
        {
            throw new ArgumentException($"{model.Name}: the {what} are {weights.dtype}; pass real numbers ≥ 0 (float32).", Parameter(what));
        }

        var converted = weights.dtype == ScalarType.Float32 ? weights : weights.to_type(ScalarType.Float32);
        converted = converted.dim() == 2 ? converted.reshape(count) : converted;
        CheckFinite(converted, what, model.Name);
        using var scope = NewDisposeScope();
        var smallest = converted.min().ToDouble();
        if (smallest < 0)
        {
            var first = converted.lt(0).nonzero()[0, 0].ToInt64();
            throw new ArgumentException(
                $"{model.Name}: the {what} include {Number(smallest)} (the first negative one is sample {first}), but a sample weight scales that sample's loss, " +
                "so weights must be ≥ 0 (0 leaves the sample out).",
                Parameter(what));
        }

        return converted;
    }

    /// <summary>
    /// Features checked against the model's sample shape and for non-finite values, converted to float32 when they are
    /// another real type (as Keras casts them); <paramref name="what"/> names them in messages (e.g. "validation features").
    /// </summary>
    public static Tensor Features(ITrainableModel model, Tensor features, string what)
    {
        ArgumentNullException.ThrowIfNull(features);
        var sample = model.SampleShape;
        var shape = features.shape;
        if (shape.Length != sample.Count + 1 || !shape.AsSpan(1).SequenceEqual(sample.ToArray()))
        {
            throw ShapeMismatch(model.Name, what, shape, sample);
        }

        if (features.dtype != ScalarType.Float32)
        {
            if (features.is_complex() || features.dtype == ScalarType.Bool)
            {
                throw new ArgumentException($"{model.Name}: the {what} are {features.dtype}; the model takes real numbers (float32).", Parameter(what));
            }

            features = features.to_type(ScalarType.Float32);
        }

        CheckFinite(features, what, model.Name);
        return features;
    }

    /// <summary>
    /// The one error for features (called <paramref name="what"/>, e.g. "training features") whose shape is not
    /// [N, …<paramref name="sample"/>], naming the model, with the fix when the shape tells it.
    /// </summary>
    internal static ArgumentException ShapeMismatch(string modelName, string what, long[] shape, IReadOnlyList<long> sample) => new(
        $"{modelName}: the {what} have shape {Dataset.ShapeText(shape)}, but the model takes samples of shape {Dataset.ShapeText(sample.ToArray())}, " +
        $"i.e. features of shape [N, {string.Join(", ", sample)}].{ShapeHint(modelName, shape, sample)}",
        Parameter(what));

    /// <summary>
    /// What to do about data of <paramref name="shape"/> given to a model whose samples have shape <paramref name="sample"/>,
    /// or nothing. Never a reshape that would reorder values: channels-last images need a permute.
    /// </summary>
    internal static string ShapeHint(string modelName, ReadOnlySpan<long> shape, IReadOnlyList<long> sample)
    {
        var dims = string.Join(", ", sample);
        if (shape.Length == sample.Count && shape.SequenceEqual(sample.ToArray()))
        {
            return " It looks like a single sample: add the batch dimension with unsqueeze(0).";
        }

        if (sample.Count == 3 && shape.Length == 4 && shape[3] == sample[0] && shape[1] == sample[1] && shape[2] == sample[2])
        {
            return $" The data is channels-last ([N, H, W, C] = [N, {sample[1]}, {sample[2]}, {sample[0]}], as Keras and NumPy store images), but {modelName} takes " +
                   $"channels first ([N, C, H, W]): pass features.permute(0, 3, 1, 2). (A reshape to [N, {dims}] would scramble every image.)";
        }

        var perSample = shape.Length >= 2 ? ProductAfterFirst(shape) : -1;
        if (perSample != sample.Aggregate(1L, (a, b) => a * b))
        {
            return string.Empty;
        }

        if (sample.Count == 1)
        {
            return $" Each sample has the model's {dims} values in another shape: flatten the samples with features.reshape(-1, {dims}), as a Flatten layer would.";
        }

        if (shape.Length == 2 && sample.Count == 3)
        {
            return $" Each row looks like a flattened image: features.reshape(-1, {dims}) if it was flattened channels first (C·H·W, as CIFAR-10's files store it), " +
                   $"features.reshape(-1, {sample[1]}, {sample[2]}, {sample[0]}).permute(0, 3, 1, 2) if it was flattened channels-last (H·W·C, as Keras arrays flatten).";
        }

        if (shape.Length == 2)
        {
            return $" Each row looks like a flattened sample: features.reshape(-1, {dims}) restores it if it was flattened in that order.";
        }

        return $" Each sample has the model's {Count(perSample)} values, but laid out differently: reorder the dimensions with features.permute(…) " +
               $"(a reshape would mix values of different dimensions).";
    }

    private static long ProductAfterFirst(ReadOnlySpan<long> shape)
    {
        var product = 1L;
        foreach (var size in shape[1..])
        {
            product *= size;
        }

        return product;
    }

    /// <summary>Throws one clear error when <paramref name="values"/> hold NaN or ±Inf: how many, in how many samples, and the first sample.</summary>
    public static void CheckFinite(Tensor values, string what, string? modelName = null)
    {
        if (!values.is_floating_point() || values.NumberOfElements == 0)
        {
            return;
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        // One read of the data, in its own type (a float64 sum of float32 data costs ten times more): a finite sum means no
        // NaN or ±Inf. Only an infinite or NaN sum (bad values, or an overflow of huge finite ones) pays for locating them.
        if (double.IsFinite(values.sum().ToDouble()))
        {
            return;
        }

        var nan = values.isnan().sum().ToInt64();
        var infinite = values.isinf().sum().ToInt64();
        if (nan + infinite == 0)
        {
            return;
        }

        var bad = values.isfinite().logical_not().reshape(values.shape[0], -1).any(1);
        var samples = bad.sum().ToInt64();
        var first = bad.nonzero()[0, 0].ToInt64();
        var counts = string.Join(" and ", new[] { (nan, "NaN"), (infinite, "infinite") }.Where(c => c.Item1 > 0).Select(c => $"{Count(c.Item1)} {c.Item2}"));
        throw new ArgumentException(
            $"{(modelName is null ? string.Empty : modelName + ": ")}the {what} contain {counts} value{(nan + infinite == 1 ? string.Empty : "s")} " +
            $"in {Count(samples)} of {Count(values.shape[0])} samples (the first is sample {first}). " +
            "They would make the loss (and statistics such as [Standardize]'s mean) NaN; remove those samples or replace the missing values (e.g. with the feature's mean) first.",
            Parameter(what));
    }

    /// <summary>
    /// The training and validation sets after <see cref="FitOptions.ValidationSplit"/>: Keras' <c>validation_split</c>
    /// holds out the last samples, before shuffling (train = the first ceil(N × (1 − split)), validation = the rest).
    /// </summary>
    public static (Dataset Train, Dataset? Validation) Split(ITrainableModel model, Dataset train, Dataset? validation, TrainingSettings settings)
    {
        if (settings.Options.ValidationSplit is not { } split)
        {
            return (train, validation);
        }

        if (validation is not null)
        {
            throw new ArgumentException(
                $"{model.Name}: Fit was given both a validation set and FitOptions.ValidationSplit ({split.ToString(CultureInfo.InvariantCulture)}); pass one or the other.",
                nameof(validation));
        }

        var at = settings.TrainingSamples(train.Count);
        if (at == 0 || at == train.Count)
        {
            throw new ArgumentException(
                $"{model.Name}: FitOptions.ValidationSplit = {split.ToString(CultureInfo.InvariantCulture)} of {Count(train.Count)} samples leaves " +
                $"{(at == 0 ? "no training samples" : "no validation samples")}; use more samples or another fraction.",
                nameof(train));
        }

        return (train.Slice(0, at), train.Slice(at, train.Count));
    }

    /// <summary>Refuses callbacks that watch accuracy on a model that has none (they would never see an improvement).</summary>
    public static void CheckMonitors(ITrainableModel model, EarlyStopping? earlyStopping, LearningRateSchedule? schedule)
    {
        if (model.IsClassifier)
        {
            return;
        }

        var watcher = earlyStopping?.Monitor == Monitored.ValAccuracy ? "early stopping ([EarlyStopping(Monitor = Monitored.ValAccuracy)])"
            : schedule is ReduceOnPlateauSchedule { Monitor: Monitored.ValAccuracy } ? "the reduce-on-plateau schedule ([ReduceOnPlateau(Monitor = Monitored.ValAccuracy)])"
            : null;
        if (watcher is not null)
        {
            throw new ArgumentException(
                $"{model.Name} has no accuracy (its loss is a regression loss), but {watcher} watches ValAccuracy, which would never improve. " +
                "Monitor Monitored.ValLoss instead (DSL211 reports this at compile time).",
                paramName: null);
        }
    }

    /// <summary>The class weights of <see cref="FitOptions.ClassWeights"/> as a float32 vector over the model's classes (1 where unlisted); null when none.</summary>
    public static Tensor? ClassWeights(ITrainableModel model, TrainingSettings settings)
    {
        if (settings.Options.ClassWeights is not { } weights)
        {
            return null;
        }

        if (!model.IsClassifier)
        {
            throw new ArgumentException(
                $"{model.Name}: FitOptions.ClassWeights weighs classes, but {model.Name} is a regression model (no classes). Remove ClassWeights.",
                "options");
        }

        var classes = model.OutputKind == OutputKind.Softmax || model.OutputUnits > 1 ? model.OutputUnits : 2;
        var values = Enumerable.Repeat(1f, classes).ToArray();
        foreach (var (key, weight) in weights)
        {
            if (key >= classes)
            {
                throw new ArgumentException(
                    $"{model.Name}: FitOptions.ClassWeights gives a weight to class {key}, but the model has {classes} classes (0 to {classes - 1}).",
                    "options");
            }

            values[key] = (float)weight;
        }

        return tensor(values);
    }

    private static Tensor Labels(ITrainableModel model, Tensor labels, string role)
    {
        var units = model.OutputUnits;
        if (model.IsClassifier && (model.OutputKind == OutputKind.Softmax || (model.OutputKind == OutputKind.Linear && units > 1)))
        {
            return ClassIndices(model, labels, role, units);
        }

        return model.IsClassifier ? BinaryLabels(model, labels, role, units) : Targets(model, labels, role, units);
    }

    /// <summary>Sparse categorical labels: integer class indices in [0, classes), <c>[N]</c> or <c>[N, 1]</c> → int64 <c>[N]</c>.</summary>
    private static Tensor ClassIndices(ITrainableModel model, Tensor labels, string role, int classes)
    {
        var name = model.Name;
        var count = labels.shape[0];
        if (!(labels.dim() == 1 || (labels.dim() == 2 && labels.shape[1] == 1)))
        {
            var oneHot = labels.dim() == 2 && labels.shape[1] == classes
                ? $" They look one-hot encoded: this loss (sparse categorical cross-entropy) takes class indices, so pass labels.argmax(1)."
                : string.Empty;
            throw new ArgumentException(
                $"{name}: the {role} labels have shape {Dataset.ShapeText(labels.shape)}, but class labels are one class index per sample, of shape [{count}] or [{count}, 1].{oneHot}",
                Parameter(role));
        }

        using var scope = NewDisposeScope();
        if (labels.is_floating_point())
        {
            CheckFinite(labels, $"{role} labels", name);
            if (!labels.eq(labels.round()).all().ToBoolean())
            {
                throw new ArgumentException(
                    $"{name}: the {role} labels are {labels.dtype} values that are not all whole numbers, but {name} has a softmax output, so its labels are class indices " +
                    $"(0 to {classes - 1}). Pass integer labels (int64 or int32).",
                    Parameter(role));
            }
        }
        else if (labels.dtype == ScalarType.Bool || labels.is_complex())
        {
            throw new ArgumentException($"{name}: the {role} labels are {labels.dtype}, but class labels are integer class indices (0 to {classes - 1}).", Parameter(role));
        }

        var indices = labels.dtype == ScalarType.Int64 ? labels : labels.to_type(ScalarType.Int64);
        var smallest = indices.min().ToInt64();
        var largest = indices.max().ToInt64();
        if (smallest < 0)
        {
            throw new ArgumentException(
                $"{name}: the {role} labels include {smallest}, but class labels are indices from 0 to {classes - 1}.", Parameter(role));
        }

        if (classes > 0 && largest >= classes)
        {
            throw new ArgumentException(
                $"{name}: the largest {role} label is {largest}, but the model's output has {classes} classes, so labels go from 0 to {classes - 1}. " +
                $"Give the output layer {largest + 1} units, or map the labels to 0…{classes - 1} (labels counted from 1 need labels - 1).",
                Parameter(role));
        }

        indices = indices.dim() == 2 ? indices.reshape(count) : indices;
        return ReferenceEquals(indices, labels) ? labels : indices.MoveToOuterDisposeScope();
    }

    /// <summary>Binary cross-entropy labels: 0/1 (or probabilities in [0, 1]), one per output unit → float32.</summary>
    private static Tensor BinaryLabels(ITrainableModel model, Tensor labels, string role, int units)
    {
        var name = model.Name;
        var converted = ToFloat32(model, labels, role, units, "binary labels");
        using var scope = NewDisposeScope();
        var smallest = converted.min().ToDouble();
        var largest = converted.max().ToDouble();
        if (smallest < 0 || largest > 1)
        {
            var hint = smallest == -1 && largest == 1 ? " They look like −1/+1 labels: pass (labels + 1) / 2." : string.Empty;
            throw new ArgumentException(
                $"{name}: the {role} labels range from {Number(smallest)} to {Number(largest)}, but binary cross-entropy (a sigmoid output) needs labels 0 or 1 " +
                $"(or probabilities between 0 and 1).{hint}",
                Parameter(role));
        }

        return converted;
    }

    /// <summary>Regression targets: as many values per sample as the model has outputs → float32.</summary>
    private static Tensor Targets(ITrainableModel model, Tensor labels, string role, int units) =>
        ToFloat32(model, labels, role, units, "targets");

    private static Tensor ToFloat32(ITrainableModel model, Tensor labels, string role, int units, string kind)
    {
        var count = labels.shape[0];
        var perSample = labels.shape.Skip(1).Aggregate(1L, (a, b) => a * b);
        if (units > 0 && perSample != units)
        {
            var expected = units == 1 ? $"[{count}] or [{count}, 1]" : $"[{count}, {units}]";
            throw new ArgumentException(
                $"{model.Name}: the {role} {kind} have shape {Dataset.ShapeText(labels.shape)} ({perSample} value{(perSample == 1 ? string.Empty : "s")} per sample), " +
                $"but the model has {units} output unit{(units == 1 ? string.Empty : "s")}, so they must have shape {expected}.",
                Parameter(role));
        }

        if (labels.dtype == ScalarType.Bool || labels.is_complex())
        {
            throw new ArgumentException($"{model.Name}: the {role} {kind} are {labels.dtype}; pass real numbers (float32).", Parameter(role));
        }

        var converted = labels.dtype == ScalarType.Float32 ? labels : labels.to_type(ScalarType.Float32);
        CheckFinite(converted, $"{role} {kind}", model.Name);
        return converted;
    }

    /// <summary>The parameter of Fit, Evaluate or Predict that holds the set called <paramref name="what"/> (e.g. "validation labels" → validation).</summary>
    private static string? Parameter(string what) =>
        what.StartsWith("training", StringComparison.Ordinal) ? "train"
        : what.StartsWith("validation", StringComparison.Ordinal) ? "validation"
        : what.StartsWith("evaluation", StringComparison.Ordinal) ? "data"
        : what.StartsWith("prediction", StringComparison.Ordinal) ? "x"
        : null;

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}

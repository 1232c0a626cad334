using TorchSharp;
using static TorchSharp.torch;

namespace DslNet.Training;

public static partial class TrainingLoop
{
    /// <summary>
    /// Keras <c>evaluate</c>: in inference mode and without gradients, the data loss averaged over samples and the accuracy
    /// (with <c>[TestTimeAugmentation]</c>, both of the prediction averaged over the copies, see <see cref="TestTimeAugmenter"/>).
    /// Keras adds the weight penalties to the reported loss (also to val_loss); <paramref name="includePenalty"/> does
    /// that (Fit's val_loss uses it); by default the loss is the data loss alone, as <see cref="Metrics.Loss"/> documents.
    /// The model's training/inference mode is restored afterwards.
    /// </summary>
    public static Metrics Evaluate<TModel>(TModel model, Dataset data, int batchSize, bool includePenalty = false)
        where TModel : nn.Module<Tensor, Tensor>, ITrainableModel
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        Hyperparameters.AtLeastOne(batchSize, nameof(batchSize));
        var checkedData = InputValidation.Check(model, data, "evaluation");
        HeapReuse.Ensure();
        using var flush = SubnormalFlush.Use(Subnormals.Flush, TrainingThreads.Available);
        return EvaluateChecked(model, checkedData, batchSize, includePenalty);
    }

    /// <summary><see cref="Evaluate"/> of data already checked by <see cref="InputValidation"/> (Fit's validation set, checked once before training).</summary>
    private static Metrics EvaluateChecked<TModel>(TModel model, Dataset data, int batchSize, bool includePenalty)
        where TModel : nn.Module<Tensor, Tensor>, ITrainableModel
    {
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = torch.no_grad();
            using var running = new RunningMetrics(model.IsClassifier);
            var binary = model.IsClassifier && model.OutputKind != OutputKind.Softmax && model.OutputUnits == 1;
            var augmentation = model.TestTimeAugmentation;
            var scores = new List<double>();
            var targets = new List<double>();
            for (var start = 0; start < data.Count; start += batchSize)
            {
                using var scope = torch.NewDisposeScope();
                var size = Math.Min(batchSize, data.Count - start);
                var labels = data.Labels.narrow(0, start, size);
                var features = data.Features.narrow(0, start, size);
                var logits = augmentation is null ? model.Logits(features) : TestTimeAugmenter.Logits(model, features, augmentation);
                var loss = data.Weights is { } weights
                    ? ClassWeighting.SampleWeighted(model, logits, labels, null, weights.narrow(0, start, size))
                    : model.DataLoss(logits, labels);
                running.Add(loss.ToDouble(), size, Accuracy.CountCorrect(model, logits, labels));
                running.AddErrors(model, logits, labels);
                if (binary)
                {
                    scores.AddRange(logits.reshape(-1).to_type(ScalarType.Float64).data<double>());
                    targets.AddRange(labels.reshape(-1).to_type(ScalarType.Float64).data<double>());
                }
            }

            var penalty = 0.0;
            if (includePenalty)
            {
                using var scope = torch.NewDisposeScope();
                penalty = model.Penalty()?.ToDouble() ?? 0;
            }

            var (precision, recall, auc) = binary ? BinaryMetrics.Compute(scores, targets) : (double.NaN, double.NaN, double.NaN);
            return new Metrics(running.Loss + penalty, running.Accuracy)
            {
                Rmse = running.Rmse,
                Mae = running.Mae,
                Precision = precision,
                Recall = recall,
                Auc = auc,
            };
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>
    /// Keras <c>predict</c>: the model's outputs (probabilities for a softmax output) in inference mode, in batches; with
    /// <c>[TestTimeAugmentation]</c>, their weighted average over the copies of each batch (see <see cref="TestTimeAugmenter"/>).
    /// </summary>
    public static Tensor Predict<TModel>(TModel model, Tensor x, int batchSize)
        where TModel : nn.Module<Tensor, Tensor>, ITrainableModel
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(x);
        Hyperparameters.AtLeastOne(batchSize, nameof(batchSize));
        x = InputValidation.Features(model, x, "prediction inputs");
        HeapReuse.Ensure();
        using var flush = SubnormalFlush.Use(Subnormals.Flush, TrainingThreads.Available);
        var wasTraining = model.training;
        model.eval();
        try
        {
            if (model.TestTimeAugmentation is { } augmentation)
            {
                return Forward(batch => DeclaredTraining.Output(model.OutputKind, TestTimeAugmenter.Logits(model, batch, augmentation)), x, batchSize);
            }

            return Forward(model, x, batchSize);
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>
    /// Monte Carlo dropout: the model in inference mode (batch norm on its moving statistics) except
    /// <paramref name="dropoutLayers"/>, which stay active; the mean of <paramref name="samples"/> forward passes
    /// (probabilities for a softmax output). The model's mode is restored afterwards. <c>[TestTimeAugmentation]</c> is not
    /// applied: each sample is one forward pass of the input as given, so the spread measures the dropout's uncertainty alone.
    /// </summary>
    public static Tensor PredictMonteCarlo<TModel>(TModel model, Tensor x, int samples, int batchSize, IReadOnlyList<nn.Module> dropoutLayers)
        where TModel : nn.Module<Tensor, Tensor>, ITrainableModel
    {
        var (mean, _) = MonteCarlo(model, x, samples, batchSize, dropoutLayers, withDeviation: false);
        return mean;
    }

    /// <summary>
    /// Monte Carlo dropout as <see cref="PredictMonteCarlo"/>, with the standard deviation of the <paramref name="samples"/>
    /// predictions beside their mean (per output value, population form: √(mean of squares − square of mean), accumulated
    /// in float64) — a measure of the model's uncertainty about each sample.
    /// </summary>
    public static (Tensor Mean, Tensor StandardDeviation) PredictMonteCarloWithDeviation<TModel>(TModel model, Tensor x, int samples, int batchSize,
        IReadOnlyList<nn.Module> dropoutLayers)
        where TModel : nn.Module<Tensor, Tensor>, ITrainableModel
    {
        var (mean, deviation) = MonteCarlo(model, x, samples, batchSize, dropoutLayers, withDeviation: true);
        return (mean, deviation!);
    }

    private static (Tensor Mean, Tensor? Deviation) MonteCarlo<TModel>(TModel model, Tensor x, int samples, int batchSize, IReadOnlyList<nn.Module> dropoutLayers,
        bool withDeviation)
        where TModel : nn.Module<Tensor, Tensor>, ITrainableModel
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(dropoutLayers);
        Hyperparameters.AtLeastOne(samples, nameof(samples));
        Hyperparameters.AtLeastOne(batchSize, nameof(batchSize));
        if (dropoutLayers.Count == 0)
        {
            throw new ArgumentException($"Monte Carlo dropout needs dropout layers, and {model.Name} was given none: every sample would be the same prediction.", nameof(dropoutLayers));
        }

        x = InputValidation.Features(model, x, "prediction inputs");
        HeapReuse.Ensure();
        using var flush = SubnormalFlush.Use(Subnormals.Flush, TrainingThreads.Available);
        var wasTraining = model.training;
        model.eval();
        foreach (var layer in dropoutLayers)
        {
            layer.train();
        }

        try
        {
            using var scope = torch.NewDisposeScope();
            var first = Forward(model, x, batchSize);
            var sum = withDeviation ? first.to_type(ScalarType.Float64) : first;
            var squares = withDeviation ? sum.square() : null;
            for (var sample = 1; sample < samples; sample++)
            {
                using var sampleScope = torch.NewDisposeScope();
                var prediction = Forward(model, x, batchSize);
                if (squares is null)
                {
                    sum.add_(prediction);
                }
                else
                {
                    var wide = prediction.to_type(ScalarType.Float64);
                    sum.add_(wide);
                    squares.add_(wide.square());
                }
            }

            var mean = sum.div_(samples);
            if (squares is null)
            {
                return (mean.MoveToOuterDisposeScope(), null);
            }

            var deviation = squares.div_(samples).sub_(mean.square()).clamp_min_(0).sqrt_().to_type(first.dtype);
            return (mean.to_type(first.dtype).MoveToOuterDisposeScope(), deviation.MoveToOuterDisposeScope());
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>forward over <paramref name="x"/> in batches without gradients, in whatever mode the model is in.</summary>
    private static Tensor Forward(nn.Module<Tensor, Tensor> model, Tensor x, int batchSize) => Forward(model.call, x, batchSize);

    /// <summary><paramref name="predict"/> over <paramref name="x"/> in batches without gradients.</summary>
    private static Tensor Forward(Func<Tensor, Tensor> predict, Tensor x, int batchSize)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var count = x.shape[0];
        if (count <= batchSize)
        {
            return predict(x).MoveToOuterDisposeScope();
        }

        var outputs = new List<Tensor>();
        for (long start = 0; start < count; start += batchSize)
        {
            // Each batch's intermediate tensors are freed with its own scope: only its output outlives it (one scope for
            // the whole call kept every batch's activations alive until the end, 22 GB for 2,000 images through ResNet-18).
            using var batchScope = torch.NewDisposeScope();
            outputs.Add(predict(x.narrow(0, start, Math.Min(batchSize, count - start))).MoveToOuterDisposeScope());
        }

        return torch.cat(outputs, 0).MoveToOuterDisposeScope();
    }
}

using TorchSharp;
using static TorchSharp.torch;

namespace DslNet.Training;

public static partial class TrainingLoop
{
    /// <summary>
    /// Keras <c>evaluate</c>: in inference mode and without gradients, the data loss averaged over samples and the accuracy.
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
        if (data.Count == 0)
        {
            throw new ArgumentException($"Cannot evaluate {model.Name} on an empty dataset.", nameof(data));
        }

        var wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = torch.no_grad();
            using var running = new RunningMetrics(model.IsClassifier);
            for (var start = 0; start < data.Count; start += batchSize)
            {
                using var scope = torch.NewDisposeScope();
                var size = Math.Min(batchSize, data.Count - start);
                var labels = data.Labels.narrow(0, start, size);
                var logits = model.Logits(data.Features.narrow(0, start, size));
                running.Add(model.DataLoss(logits, labels).ToDouble(), size, Accuracy.CountCorrect(model, logits, labels));
            }

            var penalty = 0.0;
            if (includePenalty)
            {
                using var scope = torch.NewDisposeScope();
                penalty = model.Penalty()?.ToDouble() ?? 0;
            }

            return new Metrics(running.Loss + penalty, running.Accuracy);
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>Keras <c>predict</c>: the model's outputs (probabilities for a softmax output) in inference mode, in batches.</summary>
    public static Tensor Predict<TModel>(TModel model, Tensor x, int batchSize)
        where TModel : nn.Module<Tensor, Tensor>, ITrainableModel
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(x);
        Hyperparameters.AtLeastOne(batchSize, nameof(batchSize));
        var wasTraining = model.training;
        model.eval();
        try
        {
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
    /// (probabilities for a softmax output). The model's mode is restored afterwards.
    /// </summary>
    public static Tensor PredictMonteCarlo<TModel>(TModel model, Tensor x, int samples, int batchSize, IReadOnlyList<nn.Module> dropoutLayers)
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

        var wasTraining = model.training;
        model.eval();
        foreach (var layer in dropoutLayers)
        {
            layer.train();
        }

        try
        {
            using var scope = torch.NewDisposeScope();
            var sum = Forward(model, x, batchSize);
            for (var sample = 1; sample < samples; sample++)
            {
                using var sampleScope = torch.NewDisposeScope();
                sum.add_(Forward(model, x, batchSize));
            }

            return sum.div_(samples).MoveToOuterDisposeScope();
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>forward over <paramref name="x"/> in batches without gradients, in whatever mode the model is in.</summary>
    private static Tensor Forward(nn.Module<Tensor, Tensor> model, Tensor x, int batchSize)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var count = x.shape[0];
        if (count <= batchSize)
        {
            return model.call(x).MoveToOuterDisposeScope();
        }

        var outputs = new List<Tensor>();
        for (long start = 0; start < count; start += batchSize)
        {
            outputs.Add(model.call(x.narrow(0, start, Math.Min(batchSize, count - start))));
        }

        return torch.cat(outputs, 0).MoveToOuterDisposeScope();
    }
}

using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace DslNet.Training;

public static partial class TrainingLoop
{
    /// <summary>
    /// The book's <c>find_learning_rate</c>: trains for <paramref name="epochs"/> with the rate starting at
    /// <paramref name="minRate"/> and multiplied by (max/min)^(1/iterations) after each batch, recording each batch's rate
    /// and loss; then restores the weights (the whole state, batch-norm statistics included) and the optimizer's state
    /// exactly. With <paramref name="stopOnDivergence"/> the search ends early once the smoothed loss exceeds 4× its
    /// minimum (as fastai; the book cuts its plot there instead); a non-finite loss always ends it. What a training step
    /// changes is put back through the one <see cref="State.TrainingState"/> (weights, buffers, optimizer, torch's and every
    /// augmentation layer's generator); <paramref name="adapt"/> (<c>[Standardize]</c>) runs after the input checks.
    /// </summary>
    public static LearningRateSearch FindLearningRate<TModel>(TModel model, Optimizer optimizer, Dataset train, double minRate, double maxRate, int epochs,
        TrainingSettings settings, bool stopOnDivergence = true, Action<Dataset>? adapt = null)
        where TModel : nn.Module<Tensor, Tensor>, ITrainableModel
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(settings);
        Hyperparameters.Positive(minRate, nameof(minRate));
        Hyperparameters.AtLeastOne(epochs, nameof(epochs));
        if (!(maxRate > minRate) || double.IsInfinity(maxRate))
        {
            throw new ArgumentOutOfRangeException(nameof(maxRate), maxRate, $"The search goes from minRate ({minRate}) up to maxRate, so maxRate must be a finite number above it.");
        }

        settings.Validate();
        train = InputValidation.Check(model, train, "training");
        adapt?.Invoke(train);
        HeapReuse.Ensure();
        using var flush = SubnormalFlush.Use(settings.Options.FlushSubnormals ?? Subnormals.Flush, TrainingThreads.Available);
        using var update = TrainingThreads.UseForUpdate(optimizer, TrainingThreads.Available);
        using var threads = TrainingThreads.Use(ThreadCalibration.Choose(model, optimizer, train, settings, allowReplicas: false).Plan.Threads);
        var wasTraining = model.training;
        var state = State.TrainingState.ForSteps(model, optimizer);
        using var saved = state.Capture();
        using var sampler = new BatchSampler(train, settings.BatchSize, settings.Shuffle, settings.Seed);
        var progress = new ProgressReporter(settings, sampler.Steps);
        var iterations = (long)sampler.Steps * epochs;
        var factor = Math.Pow(maxRate / minRate, 1.0 / iterations);
        var rates = new List<double>();
        var losses = new List<double>();
        torch.manual_seed(settings.Seed);
        try
        {
            var smoothing = new SmoothedLoss();
            var lowest = double.PositiveInfinity;
            var diverged = false;
            for (var epoch = 1; epoch <= epochs && !diverged; epoch++)
            {
                var clock = Stopwatch.StartNew();
                model.train();
                sampler.BeginEpoch();
                progress.BeginEpoch(epoch, epochs, "Learning-rate finder: epoch");
                using var running = new RunningMetrics(model.IsClassifier);
                var stepsDone = 0;
                for (var step = 0; step < sampler.Steps && !diverged; step++)
                {
                    using var scope = torch.NewDisposeScope();
                    optimizer.LearningRate = minRate * Math.Pow(factor, rates.Count);
                    var (features, labels, size) = sampler.Batch(step);
                    var (loss, logits) = TrainBatch(model, optimizer, features, labels, sampleWeights: sampler.Weights(step));
                    rates.Add(optimizer.LearningRate);
                    losses.Add(loss);
                    running.Add(loss, size, Accuracy.CountCorrect(model, logits, labels));
                    stepsDone = step + 1;
                    var smoothed = double.IsFinite(loss) ? smoothing.Add(loss) : double.NaN;
                    diverged = !double.IsFinite(smoothed) || (stopOnDivergence && smoothed > 4 * lowest);
                    lowest = Math.Min(lowest, smoothed);
                    if (progress.WantsUpdate(stepsDone))
                    {
                        progress.Update(stepsDone, clock.Elapsed, running.Values().Append(("lr", optimizer.LearningRate)));
                    }
                }

                progress.EndEpoch(stepsDone, clock.Elapsed, running.Values().Append(("lr", optimizer.LearningRate)));
            }

            if (diverged)
            {
                progress.Message($"The loss diverged at rate {ProgressReporter.Format(rates[^1])}; the search stopped there.");
            }
        }
        finally
        {
            state.Restore(saved);
            optimizer.ZeroGrad();
            model.train(wasTraining);
        }

        TensorBoardLog.LearningRateSearch(settings.Options.TensorBoardDirectory, rates, losses);
        return new LearningRateSearch(rates, losses);
    }
}

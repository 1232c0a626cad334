using System.Diagnostics;
using DslNet.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace DslNet.Training;

/// <summary>
/// The training loop that generated models call: <see cref="Fit"/>, evaluation and prediction, Monte Carlo dropout and
/// the learning-rate finder, with Keras' semantics.
/// </summary>
public static partial class TrainingLoop
{
    /// <summary>
    /// Trains <paramref name="model"/> like Keras' <c>fit</c>: per epoch a reshuffle (seeded), mini-batch steps
    /// (schedule rate → zero gradients → logits → loss + penalties → backward → step → constraints), validation at the
    /// epoch's end, one <see cref="EpochRow"/>, the schedule's end-of-epoch rule, early stopping and checkpointing.
    /// A NaN or infinite loss stops training before that batch's update, with the message in <see cref="History.StopReason"/>,
    /// and the best weights so far are put back.
    /// </summary>
    public static History Fit<TModel>(TModel model, Dataset train, Dataset? validation, TrainingSettings settings,
        Optimizer optimizer, LearningRateSchedule? schedule, EarlyStopping? earlyStopping)
        where TModel : nn.Module<Tensor, Tensor>, ITrainableModel
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(optimizer);
        settings.Validate();
        CheckLabels(model, train, "training");
        if (validation is not null)
        {
            CheckLabels(model, validation, "validation");
        }

        var run = new FitRun<TModel>(model, train, validation, settings, optimizer, schedule, earlyStopping);
        return run.Execute();
    }

    /// <summary>
    /// One training step on a batch: zero gradients, logits, data loss plus penalties, and, when the loss is finite,
    /// backward, optimizer step and constraints. Returns the loss value and the logits.
    /// </summary>
    internal static (double Loss, Tensor Logits) TrainBatch<TModel>(TModel model, Optimizer optimizer, Tensor features, Tensor labels)
        where TModel : nn.Module<Tensor, Tensor>, ITrainableModel
    {
        optimizer.ZeroGrad();
        var logits = model.Logits(features);
        var loss = model.DataLoss(logits, labels);
        if (model.Penalty() is { } penalty)
        {
            loss = loss.add(penalty);
        }

        var value = loss.ToDouble();
        if (double.IsFinite(value))
        {
            loss.backward();
            optimizer.Step();
            model.ApplyConstraints();
        }

        return (value, logits);
    }

    private static void SaveWeights(nn.Module model, string path) => model.save(path);

    private static void CheckLabels(ITrainableModel model, Dataset data, string role)
    {
        if (model.OutputKind == OutputKind.Softmax && model.IsClassifier && data.Labels.dtype != ScalarType.Int64)
        {
            throw new ArgumentException(
                $"{model.ModelName} has a softmax output, so its {role} labels must be int64 class indices; got {data.Labels.dtype}. " +
                "Convert them with labels.to_type(ScalarType.Int64).",
                nameof(data));
        }
    }

    /// <summary>The state of one call to <see cref="Fit"/>.</summary>
    private sealed class FitRun<TModel>(TModel model, Dataset train, Dataset? validation, TrainingSettings settings,
        Optimizer optimizer, LearningRateSchedule? schedule, EarlyStopping? earlyStopping)
        where TModel : nn.Module<Tensor, Tensor>, ITrainableModel
    {
        private readonly MonitoredMetric metric = earlyStopping?.Metric ?? new MonitoredMetric(Monitored.ValLoss);
        private readonly History history = new(earlyStopping?.Monitor ?? Monitored.ValLoss);
        private readonly TensorBoardLog? tensorBoard = TensorBoardLog.Open(settings.TensorBoardDirectory);
        private ModelState? best;
        private double bestValue = double.NaN;
        private long iteration;

        public History Execute()
        {
            var total = Stopwatch.StartNew();
            history.Threads = TrainingThreads.For(settings, optimizer);
            using var threads = TrainingThreads.Use(history.Threads);
            var wasTraining = model.training;
            torch.manual_seed(settings.Seed);
            schedule?.Reset();
            earlyStopping?.Reset();
            bestValue = metric.Worst;
            using var sampler = new BatchSampler(train, settings.BatchSize, settings.Shuffle, settings.Seed);
            var progress = new ProgressReporter(settings, sampler.Steps);
            try
            {
                for (var epoch = 1; epoch <= settings.Epochs; epoch++)
                {
                    if (!RunEpoch(epoch, sampler, progress))
                    {
                        break;
                    }
                }

                if (history.KeptEpoch == 0 && history.Rows.Count > 0)
                {
                    history.KeptEpoch = history.Rows[^1].Epoch;
                }

                if (earlyStopping is { RestoreBestWeights: true } && best is not null && best.Epoch != history.Rows[^1].Epoch)
                {
                    history.KeptEpoch = best.Epoch;
                    best.Restore(model);
                    progress.Message($"Restoring model weights from the end of the best epoch: {best.Epoch}.");
                }
            }
            finally
            {
                best?.Dispose();
                model.train(wasTraining);
            }

            history.TotalSeconds = total.Elapsed.TotalSeconds;
            WriteLogs(progress);
            return history;
        }

        /// <summary>Runs one epoch; false when training must stop.</summary>
        private bool RunEpoch(int epoch, BatchSampler sampler, ProgressReporter progress)
        {
            var clock = Stopwatch.StartNew();
            model.train();
            sampler.BeginEpoch();
            progress.BeginEpoch(epoch);
            using var running = new RunningMetrics(model.IsClassifier);
            var stepsDone = 0;
            var lastLoss = 0.0;
            for (var step = 0; step < sampler.Steps; step++)
            {
                using var scope = torch.NewDisposeScope();
                if (schedule is not null)
                {
                    optimizer.LearningRate = schedule.RateForBatch(iteration, epoch, optimizer.LearningRate);
                }

                var (features, labels, size) = sampler.Batch(step);
                var (loss, logits) = TrainBatch(model, optimizer, features, labels);
                lastLoss = loss;
                stepsDone = step + 1;
                running.Add(loss, size, Accuracy.CountCorrect(model, logits, labels));
                if (!double.IsFinite(loss))
                {
                    break;
                }

                iteration++;
                if (progress.WantsUpdate(stepsDone))
                {
                    progress.Update(stepsDone, clock.Elapsed, running.Values().Append(("lr", optimizer.LearningRate)));
                }
            }

            var finite = double.IsFinite(lastLoss);
            var validated = finite && validation is not null ? Evaluate(model, validation, settings.BatchSize, includePenalty: true) : (Metrics?)null;
            var row = new EpochRow(epoch, running.Loss, running.Accuracy, validated?.Loss ?? double.NaN, validated?.Accuracy ?? double.NaN,
                optimizer.LearningRate, clock.Elapsed.TotalSeconds);
            history.Add(row);
            tensorBoard?.Epoch(row);
            progress.EndEpoch(stepsDone, clock.Elapsed, running.Values()
                .Append(("val_loss", row.ValLoss)).Append(("val_accuracy", row.ValAccuracy)).Append(("lr", row.LearningRate)));

            if (!finite)
            {
                StopOnNonFiniteLoss(epoch, stepsDone, lastLoss, progress);
                return false;
            }

            var stop = TrackBest(row, progress);
            if (schedule is not null)
            {
                var rate = schedule.RateAfterEpoch(epoch, row, optimizer.LearningRate);
                if (rate != optimizer.LearningRate)
                {
                    progress.Message($"Epoch {epoch}: learning rate changed to {ProgressReporter.Format(rate)}.");
                    optimizer.LearningRate = rate;
                }
            }

            return !stop;
        }

        /// <summary>Keeps the best epoch's weights (and checkpoint); returns whether early stopping says stop.</summary>
        private bool TrackBest(EpochRow row, ProgressReporter progress)
        {
            var current = metric.Value(row);
            var (improved, stop) = earlyStopping is null ? (metric.Improves(current, bestValue), false) : earlyStopping.Update(row);
            if (improved)
            {
                bestValue = current;
                if (best is null)
                {
                    best = new ModelState(model);
                }
                else
                {
                    best.Capture(model);
                }

                best.Epoch = row.Epoch;
                if (settings.LogDirectory is { } folder)
                {
                    var path = Path.Combine(folder, $"{settings.ModelName}.best.weights");
                    AtomicFile.Write(path, temporary => (settings.WeightsWriter ?? SaveWeights)(model, temporary));
                }
            }

            if (stop)
            {
                history.StoppedEpoch = row.Epoch;
                history.StopReason = $"Early stopping: {metric.Name(row)} did not improve for {earlyStopping!.Patience} epochs after its best, " +
                                     $"{ProgressReporter.Format(earlyStopping.BestValue)} at epoch {earlyStopping.BestEpoch}.";
                progress.Message(history.StopReason);
            }

            return stop;
        }

        private void StopOnNonFiniteLoss(int epoch, int batch, double loss, ProgressReporter progress)
        {
            history.StoppedEpoch = epoch;
            var restored = best is null
                ? "No epoch had finished, so the weights are those before that batch."
                : $"Restored the weights of the best epoch, {best.Epoch}.";
            best?.Restore(model);
            history.KeptEpoch = best?.Epoch ?? 0;
            history.StopReason =
                $"Training stopped: the loss became {(double.IsNaN(loss) ? "NaN" : "infinite")} at epoch {epoch}, batch {batch} (the update was not applied). {restored} " +
                "Lower the learning rate, clip gradients (ClipNorm/ClipValue), or scale the inputs.";
            progress.Message(history.StopReason);
        }

        private void WriteLogs(ProgressReporter progress)
        {
            if (settings.LogDirectory is not { } folder)
            {
                return;
            }

            history.SaveCsv(Path.Combine(folder, $"{settings.ModelName}.history.csv"));
            try
            {
                history.SavePlot(Path.Combine(folder, $"{settings.ModelName}.curves.png"));
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                progress.Message($"Could not draw the learning curves ({error.Message}); the history CSV was written.");
            }
        }
    }
}

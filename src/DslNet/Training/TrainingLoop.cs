using System.Diagnostics;
using DslNet.IO;
using DslNet.Training.Backup;
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
        (train, validation) = InputValidation.Split(model, train, validation, settings);
        train = InputValidation.Check(model, train, "training");
        validation = validation is null ? null : InputValidation.Check(model, validation, "validation");
        InputValidation.CheckMonitors(model, earlyStopping, schedule);
        using var classWeights = InputValidation.ClassWeights(model, settings);
        var run = new FitRun<TModel>(model, train, validation, settings, optimizer, schedule, earlyStopping) { ClassWeights = classWeights };
        return run.Execute();
    }

    /// <summary>
    /// One training step on a batch: zero gradients, logits, data loss plus penalties, and, when the loss is finite,
    /// backward, optimizer step and constraints. Returns the loss value and the logits.
    /// </summary>
    internal static (double Loss, Tensor Logits) TrainBatch<TModel>(TModel model, Optimizer optimizer, Tensor features, Tensor labels, Tensor? classWeights = null,
        Tensor? sampleWeights = null)
        where TModel : nn.Module<Tensor, Tensor>, ITrainableModel
    {
        optimizer.ZeroGrad();
        var logits = model.Logits(features);
        var loss = sampleWeights is not null ? ClassWeighting.SampleWeighted(model, logits, labels, classWeights, sampleWeights)
            : classWeights is null ? model.DataLoss(logits, labels) : ClassWeighting.Loss(model, logits, labels, classWeights);
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

    /// <summary>The state of one call to <see cref="Fit"/>.</summary>
    private sealed partial class FitRun<TModel>(TModel model, Dataset train, Dataset? validation, TrainingSettings settings,
        Optimizer optimizer, LearningRateSchedule? schedule, EarlyStopping? earlyStopping)
        where TModel : nn.Module<Tensor, Tensor>, ITrainableModel
    {
        private readonly MonitoredMetric metric = earlyStopping?.Metric ?? new MonitoredMetric(Monitored.ValLoss);
        private readonly History history = new(earlyStopping?.Monitor ?? Monitored.ValLoss);
        private readonly TensorBoardLog? tensorBoard = TensorBoardLog.Open(settings.TensorBoardDirectory);
        private ModelState? best;
        private double bestValue = double.NaN;
        private long iteration;
        private DataParallelStep? parallel;

        /// <summary>The weight of each class in the training loss (<see cref="FitOptions.ClassWeights"/>); null = unweighted.</summary>
        public Tensor? ClassWeights { get; init; }

        public History Execute()
        {
            var total = Stopwatch.StartNew();
            using var resumed = OpenBackup();
            // A resumed run keeps the thread count it was backed up with (the order of parallel sums depends on it);
            // replicas are not used with a backup or class weights, so that a resumed run equals an uninterrupted one.
            var (plan, calibration) = resumed is not null
                ? (new StepPlan(resumed.Threads, 1), 0.0)
                : ThreadCalibration.Choose(model, optimizer, train, settings,
                    allowReplicas: settings.BackupDirectory is null && ClassWeights is null && train.Weights is null);
            (history.Threads, history.Replicas, history.CalibrationSeconds) = (plan.Threads, plan.Replicas, calibration);
            using var update = TrainingThreads.UseForUpdate(optimizer, Math.Max(TrainingThreads.Available, plan.Threads * plan.Replicas));
            using var threads = TrainingThreads.Use(plan.Threads);
            using var replicas = parallel = TrainingThreads.Replicate(model, optimizer, plan);
            var wasTraining = model.training;
            torch.manual_seed(settings.Seed);
            schedule?.Reset();
            earlyStopping?.Reset();
            bestValue = metric.Worst;
            using var sampler = new BatchSampler(train, settings.BatchSize, settings.Shuffle, settings.Seed);
            var progress = new ProgressReporter(settings, sampler.Steps);
            try
            {
                var (firstEpoch, firstStep) = Resume(resumed, sampler, progress);
                for (var epoch = firstEpoch; epoch <= settings.Epochs; epoch++, firstStep = 0)
                {
                    if (!RunEpoch(epoch, sampler, progress, firstStep, resumed))
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
            RemoveBackup();
            WriteLogs(progress);
            return history;
        }

        /// <summary>Runs one epoch; false when training must stop.</summary>
        private bool RunEpoch(int epoch, BatchSampler sampler, ProgressReporter progress, int firstStep = 0, TrainingBackup? resumed = null)
        {
            var clock = Stopwatch.StartNew();
            model.train();
            if (firstStep == 0)
            {
                sampler.BeginEpoch();
            }

            progress.BeginEpoch(epoch);
            using var running = new RunningMetrics(model.IsClassifier);
            var secondsBefore = firstStep > 0 && resumed is not null ? ResumeEpoch(resumed, running) : 0;
            var stepsDone = firstStep;
            var lastLoss = 0.0;
            for (var step = firstStep; step < sampler.Steps; step++)
            {
                using var scope = torch.NewDisposeScope();
                if (schedule is not null)
                {
                    optimizer.LearningRate = schedule.RateForBatch(iteration, epoch, optimizer.LearningRate);
                }

                var (features, labels, size) = sampler.Batch(step);
                var (loss, logits) = parallel?.TrainBatch(features, labels) ?? TrainBatch(model, optimizer, features, labels, ClassWeights, sampler.Weights(step));
                lastLoss = loss;
                stepsDone = step + 1;
                running.Add(loss, size, Accuracy.CountCorrect(model, logits, labels));
                running.AddErrors(model, logits, labels);
                if (!double.IsFinite(loss))
                {
                    break;
                }

                iteration++;
                BackupWithinEpoch(epoch, stepsDone, sampler, running, secondsBefore + clock.Elapsed.TotalSeconds);
                if (progress.WantsUpdate(stepsDone))
                {
                    progress.Update(stepsDone, clock.Elapsed, running.Values().Append(("lr", optimizer.LearningRate)));
                }
            }

            var finite = double.IsFinite(lastLoss);
            var validated = finite && validation is not null ? EvaluateChecked(model, validation, settings.BatchSize, includePenalty: true) : (Metrics?)null;
            var row = new EpochRow(epoch, running.Loss, running.Accuracy, validated?.Loss ?? double.NaN, validated?.Accuracy ?? double.NaN,
                optimizer.LearningRate, secondsBefore + clock.Elapsed.TotalSeconds)
            {
                Rmse = running.Rmse,
                Mae = running.Mae,
                ValRmse = validated?.Rmse ?? double.NaN,
                ValMae = validated?.Mae ?? double.NaN,
            };
            history.Add(row);
            tensorBoard?.Epoch(row);
            progress.EndEpoch(stepsDone, clock.Elapsed, running.Values()
                .Append(("val_loss", row.ValLoss)).Append(("val_accuracy", row.ValAccuracy))
                .Append(("val_rmse", row.ValRmse)).Append(("val_mae", row.ValMae)).Append(("lr", row.LearningRate)));

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

            if (settings.OnEpochEnd is { } hook && hook(row) && !stop)
            {
                history.StoppedEpoch = epoch;
                history.StopReason = $"Training stopped after epoch {epoch}: FitOptions.OnEpochEnd asked to stop.";
                progress.Message(history.StopReason);
                stop = true;
            }

            if (!stop)
            {
                BackupAtEpochEnd(epoch, sampler);
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
                    var path = Path.Combine(folder, $"{settings.Name}.best.weights");
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
            var what = double.IsNaN(loss) ? "NaN" : "infinite";
            history.StopReason = iteration == 0
                ? $"{settings.Name} stopped training: the loss was already {what} at epoch {epoch}, batch {batch}, before any update, so the learning rate is not the cause. " +
                  $"{restored} Look at the data and the starting weights: features so large that the loss overflows (standardize them, e.g. with [Standardize]), " +
                  "or weights loaded from a file that holds NaN."
                : $"{settings.Name} stopped training: the loss became {what} at epoch {epoch}, batch {batch} (the update was not applied), after {iteration} updates that were finite, " +
                  $"so the optimization diverged. {restored} Lower the learning rate, clip gradients (ClipNorm/ClipValue), or scale the inputs.";
            progress.Message(history.StopReason);
        }

        private void WriteLogs(ProgressReporter progress)
        {
            if (settings.LogDirectory is not { } folder)
            {
                return;
            }

            history.SaveCsv(Path.Combine(folder, $"{settings.Name}.history.csv"));
            try
            {
                history.SavePlot(Path.Combine(folder, $"{settings.Name}.curves.png"));
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                progress.Message($"Could not draw the learning curves ({error.Message}); the history CSV was written.");
            }
        }
    }
}

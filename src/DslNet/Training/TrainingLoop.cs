using System.Diagnostics;
using DslNet.IO;
using DslNet.Training.Backup;
using DslNet.Training.Callbacks;
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
    /// and the best weights so far are put back. <paramref name="adapt"/> fits what layers learn from the training data
    /// (<c>[Standardize]</c>) once every input check has passed, on the training part after <see cref="FitOptions.ValidationSplit"/>.
    /// </summary>
    public static History Fit<TModel>(TModel model, Dataset train, Dataset? validation, TrainingSettings settings,
        Optimizer optimizer, LearningRateSchedule? schedule, EarlyStopping? earlyStopping, Action<Dataset>? adapt = null)
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
        var run = new FitRun<TModel>(model, train, validation, settings, optimizer, schedule, earlyStopping, adapt) { ClassWeights = classWeights };
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
        var loss = TrainingStep.Objective(model, logits, labels, classWeights, sampleWeights, share: 1, withPenalty: true);
        var value = loss.ToDouble();
        if (double.IsFinite(value))
        {
            loss.backward();
            TrainingStep.Finish(model, optimizer);
        }

        return (value, logits);
    }

    /// <summary>
    /// The state of one call to <see cref="Fit"/>: the loop itself (epochs, steps, validation, the history) and the callbacks
    /// that do everything else, in this order: TensorBoard and progress (which also see an epoch that ended on a non-finite
    /// loss), best weights and early stopping, the schedule, <see cref="FitOptions.OnEpochEnd"/>, the caller's
    /// <see cref="FitOptions.Callbacks"/>, the backup, the log files.
    /// </summary>
    private sealed partial class FitRun<TModel>(TModel model, Dataset train, Dataset? validation, TrainingSettings settings,
        Optimizer optimizer, LearningRateSchedule? schedule, EarlyStopping? earlyStopping, Action<Dataset>? adapt)
        where TModel : nn.Module<Tensor, Tensor>, ITrainableModel
    {
        private readonly History history = new(earlyStopping?.Monitor ?? Monitored.ValLoss);
        private long iteration;
        private DataParallelStep? parallel;
        private EmaCallback? ema;
        private bool allowReplicas;
        private int available;
        private bool recheckPending;

        /// <summary>The weight of each class in the training loss (<see cref="FitOptions.ClassWeights"/>); null = unweighted.</summary>
        public Tensor? ClassWeights { get; init; }

        public History Execute()
        {
            var total = Stopwatch.StartNew();
            // Subnormal floats flushed to zero (as TensorFlow does on CPUs) from here to the end, calibration included.
            HeapReuse.Ensure();
            using var flush = SubnormalFlush.Use(settings.Options.FlushSubnormals ?? Subnormals.Flush, TrainingThreads.Available);
            using var resumed = OpenBackup();
            // What the layers learn from the data ([Standardize]) is fitted only now: after every input check and the backup's,
            // so a refused call changes nothing (a resumed run then gets the saved statistics back with the weights).
            adapt?.Invoke(train);
            // A resumed run keeps the thread count it was backed up with (the order of parallel sums depends on it);
            // replicas are not used with a backup or class weights, so that a resumed run equals an uninterrupted one.
            available = TrainingThreads.Available;
            allowReplicas = settings.Options.BackupDirectory is null && ClassWeights is null && train.Weights is null;
            var (plan, calibration) = resumed is not null
                ? (new StepPlan(ThreadsOf(resumed), 1), 0.0)
                : ThreadCalibration.Choose(model, optimizer, train, settings, allowReplicas);
            (history.Threads, history.Replicas, history.CalibrationSeconds) = (plan.Threads, plan.Replicas, calibration);
            // A plan measured now is measured again before the second epoch (a resumed run learns from its backup whether
            // that is still ahead); given or cached counts are kept.
            recheckPending = resumed is null && calibration > 0 && settings.Epochs > 1;
            using var update = TrainingThreads.UseForUpdate(optimizer, Math.Max(TrainingThreads.Available, plan.Threads * plan.Replicas));
            using var threads = TrainingThreads.Use(plan.Threads);
            parallel = TrainingThreads.Replicate(model, optimizer, plan);
            using var replicas = new ReplicasScope(this);
            var wasTraining = model.training;
            torch.manual_seed(settings.Seed);
            using var sampler = new BatchSampler(train, settings.BatchSize, settings.Shuffle, settings.Seed);
            var context = new TrainingContext(settings.Name, settings.Epochs, sampler.Steps, history, optimizer, new ProgressReporter(settings, sampler.Steps));
            using var bestWeights = new BestWeightsCallback(model, earlyStopping, settings);
            using var averages = ema = settings.EmaMomentum is { } momentum ? new EmaCallback(model, momentum) : null;
            var callbacks = Callbacks(bestWeights);
            state = RegisterState(sampler, callbacks);
            try
            {
                var (firstEpoch, firstStep) = Resume(resumed, context);
                Each(callbacks, callback => callback.OnTrainBegin(context));
                for (var epoch = firstEpoch; epoch <= settings.Epochs; epoch++, firstStep = 0)
                {
                    if (!RunEpoch(epoch, sampler, context, callbacks, bestWeights, firstStep))
                    {
                        break;
                    }
                }

                if (history.KeptEpoch == 0 && history.Rows.Count > 0)
                {
                    history.KeptEpoch = history.Rows[^1].Epoch;
                }

                history.TotalSeconds = total.Elapsed.TotalSeconds;
                Each(callbacks, callback => callback.OnTrainEnd(context, history));
            }
            finally
            {
                model.train(wasTraining);
            }

            return history;
        }

        /// <summary>Disposes the run's replicas at its end, whichever the re-check left in place (also when setting up the run throws).</summary>
        private readonly struct ReplicasScope(FitRun<TModel> run) : IDisposable
        {
            public void Dispose()
            {
                run.parallel?.Dispose();
                run.parallel = null;
            }
        }

        /// <summary>
        /// The re-check of a measured thread plan before the second epoch (<see cref="ThreadCalibration.RecheckWorthIt"/>):
        /// the same race as at the start, on the model as the first epoch left it (put back exactly), and the run goes on
        /// with its winner. A busy machine at the start can make the wrong plan win; this is the run's second look.
        /// </summary>
        private void RecheckThreads(int epoch, BatchSampler sampler, TrainingContext context)
        {
            recheckPending = false;
            var replicable = allowReplicas && DataParallelStep.Supports(model, optimizer);
            var candidates = TrainingThreads.Candidates(available, settings.BatchSize, replicable).Length;
            if (!ThreadCalibration.RecheckWorthIt(candidates, (long)(settings.Epochs - epoch + 1) * sampler.Steps))
            {
                return;
            }

            var before = new StepPlan(history.Threads, history.Replicas);
            var (plan, seconds) = ThreadCalibration.Remeasure(model, optimizer, train, settings, available, allowReplicas);
            history.CalibrationSeconds += seconds;
            if (plan == before)
            {
                return;
            }

            parallel?.Dispose();
            torch.set_num_threads(plan.Threads);
            parallel = TrainingThreads.Replicate(model, optimizer, plan);
            (history.Threads, history.Replicas) = (plan.Threads, plan.Replicas);
            context.Message($"{settings.Name}: threads re-checked before epoch {epoch}: {Describe(plan)} from here (the first epoch ran on {Describe(before)}).");
        }

        private static string Describe(StepPlan plan) =>
            plan.Replicas > 1 ? $"{plan.Replicas} replicas of {plan.Threads} thread{(plan.Threads > 1 ? "s" : "")}" : $"{plan.Threads} thread{(plan.Threads > 1 ? "s" : "")}";

        /// <summary>The run's callbacks, in the order they are called.</summary>
        private List<TrainingCallback> Callbacks(BestWeightsCallback bestWeights)
        {
            var options = settings.Options;
            var callbacks = new List<TrainingCallback>();
            if (options.TensorBoardDirectory is { } tensorBoard)
            {
                callbacks.Add(new TensorBoardCallback(tensorBoard));
            }

            callbacks.Add(new ProgressCallback());
            if (ema is not null)
            {
                // Before the best weights: at the end the averages go in first, then early stopping may restore its best
                // epoch (Keras' fit finalizes the EMA before on_train_end).
                callbacks.Add(ema);
            }

            callbacks.Add(bestWeights);
            if (schedule is not null)
            {
                callbacks.Add(new ScheduleCallback(schedule));
            }

            if (options.OnEpochEnd is { } hook)
            {
                callbacks.Add(new EpochEndHookCallback(hook));
            }

            callbacks.AddRange(options.Callbacks ?? []);
            if (options.BackupDirectory is { } folder)
            {
                callbacks.Add(new BackupCallback(this, folder, options.BackupEverySteps));
            }

            if (options.LogDirectory is { } logs)
            {
                callbacks.Add(new LogFilesCallback(logs, settings.Name));
            }

            return callbacks;
        }

        /// <summary>Runs one epoch; false when training must stop.</summary>
        private bool RunEpoch(int epoch, BatchSampler sampler, TrainingContext context, List<TrainingCallback> callbacks, BestWeightsCallback bestWeights, int firstStep)
        {
            if (recheckPending && epoch > 1 && firstStep == 0)
            {
                RecheckThreads(epoch, sampler, context);
            }

            context.EpochClock.Restart();
            context.Epoch = epoch;
            model.train();
            if (firstStep == 0)
            {
                sampler.BeginEpoch();
            }

            Each(callbacks, callback => callback.OnEpochBegin(context, epoch));
            using var running = new RunningMetrics(model.IsClassifier);
            context.Running = running;
            context.SecondsBefore = 0;
            if (firstStep > 0)
            {
                // Resumed within this epoch: its running sums and seconds so far come from the backup.
                running.Restore(position.Running);
                context.SecondsBefore = position.EpochSeconds;
            }

            context.Step = firstStep;
            var lastLoss = 0.0;
            for (var step = firstStep; step < sampler.Steps; step++)
            {
                using var scope = torch.NewDisposeScope();
                Each(callbacks, callback => callback.OnBatchBegin(context, step + 1));
                var (features, labels, size) = sampler.Batch(step);
                var (loss, logits) = parallel?.TrainBatch(features, labels) ?? TrainBatch(model, optimizer, features, labels, ClassWeights, sampler.Weights(step));
                lastLoss = loss;
                context.Step = step + 1;
                running.Add(loss, size, Accuracy.CountCorrect(model, logits, labels));
                running.AddErrors(model, logits, labels);
                if (!double.IsFinite(loss))
                {
                    break;
                }

                context.Iteration = ++iteration;
                Each(callbacks, callback => callback.OnBatchEnd(context, step + 1, loss));
            }

            var finite = double.IsFinite(lastLoss);
            var validated = finite && validation is not null ? Validate() : (Metrics?)null;
            var row = new EpochRow(epoch, running.Loss, running.Accuracy, validated?.Loss ?? double.NaN, validated?.Accuracy ?? double.NaN,
                optimizer.LearningRate, context.EpochSeconds)
            {
                Rmse = running.Rmse,
                Mae = running.Mae,
                ValRmse = validated?.Rmse ?? double.NaN,
                ValMae = validated?.Mae ?? double.NaN,
            };
            history.Add(row);
            if (!finite)
            {
                // The epoch is reported, then training ends here: no other callback sees a diverged epoch.
                Each(callbacks.Where(c => c is TensorBoardCallback or ProgressCallback), callback => callback.OnEpochEnd(context, row));
                StopOnNonFiniteLoss(epoch, context.Step, lastLoss, context, bestWeights);
                return false;
            }

            Each(callbacks, callback => callback.OnEpochEnd(context, row));
            return !context.StopRequested;
        }

        /// <summary>The epoch's validation, with the moving average of the weights in the model when the optimizer declares UseEma.</summary>
        private Metrics Validate()
        {
            ema?.SwapIn();
            try
            {
                return EvaluateChecked(model, validation!, settings.BatchSize, includePenalty: true);
            }
            finally
            {
                ema?.SwapOut();
            }
        }

        private void StopOnNonFiniteLoss(int epoch, int batch, double loss, TrainingContext context, BestWeightsCallback bestWeights)
        {
            var bestEpoch = bestWeights.RestoreAfterNonFiniteLoss();
            var restored = bestEpoch is null
                ? "No epoch had finished, so the weights are those before that batch."
                : $"Restored the weights of the best epoch, {bestEpoch}.";
            history.KeptEpoch = bestEpoch ?? 0;
            var what = double.IsNaN(loss) ? "NaN" : "infinite";
            context.StopTraining(iteration == 0
                ? $"{settings.Name} stopped training: the loss was already {what} at epoch {epoch}, batch {batch}, before any update, so the learning rate is not the cause. " +
                  $"{restored} Look at the data and the starting weights: features so large that the loss overflows (standardize them, e.g. with [Standardize]), " +
                  "or weights loaded from a file that holds NaN."
                : $"{settings.Name} stopped training: the loss became {what} at epoch {epoch}, batch {batch} (the update was not applied), after {iteration} updates that were finite, " +
                  $"so the optimization diverged. {restored} Lower the learning rate, clip gradients (ClipNorm/ClipValue), or scale the inputs.");
        }

        private static void Each(IEnumerable<TrainingCallback> callbacks, Action<TrainingCallback> call)
        {
            foreach (var callback in callbacks)
            {
                call(callback);
            }
        }
    }
}

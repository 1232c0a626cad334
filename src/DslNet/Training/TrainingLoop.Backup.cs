using DslNet.Training.Backup;
using DslNet.Training.Callbacks;
using DslNet.Training.State;
using TorchSharp;
using static TorchSharp.torch;

namespace DslNet.Training;

public static partial class TrainingLoop
{
    /// <summary>
    /// Backup and restore of a run (<see cref="FitOptions.BackupDirectory"/>): the run's <see cref="TrainingState"/> is
    /// written at epoch ends (and every <see cref="FitOptions.BackupEverySteps"/> steps), and a run that finds a backup of
    /// itself goes on from there. What makes the resumed run equal an uninterrupted one is whatever the run's parts
    /// registered: the weights and buffers, the optimizer, the shuffling generator and the epoch's permutation, torch's
    /// global generator (dropout) and every augmentation layer's own generator, each callback's state (best weights and
    /// early stopping, the schedule, the caller's callbacks), and this loop's part (<see cref="Save"/>): the thread count
    /// (reductions are ordered by it), the position in the run, the unfinished epoch's running sums and the history.
    /// </summary>
    private sealed partial class FitRun<TModel> : IStatePart
    {
        private const int RowWidth = 11;
        private BackupManifest? manifest;
        private TrainingState? state;
        private Position position;

        /// <summary>Reads (and checks) the backup of this run, if the settings name a folder that holds one.</summary>
        private StateRecord? OpenBackup()
        {
            if (settings.Options.BackupDirectory is not { } folder)
            {
                return null;
            }

            manifest = BackupManifest.For(model, settings.Name, train, validation, settings, optimizer, schedule, earlyStopping);
            StateRecord? backup;
            try
            {
                backup = TrainingBackup.Read(folder, manifest);
            }
            catch (InvalidDataException error)
            {
                throw new InvalidDataException($"{settings.Name} cannot resume from its backup: {error.Message}", error);
            }

            if (backup is not null && settings.Options.Threads is { } threads && threads != ThreadsOf(backup))
            {
                var saved = ThreadsOf(backup);
                backup.Dispose();
                throw new InvalidDataException(
                    $"{settings.Name} cannot resume from its backup: '{TrainingBackup.PathIn(folder)}' is a backup of a run on {saved} threads, but FitOptions.Threads asks " +
                    $"for {threads}: a resumed run must use the same thread count to end as the uninterrupted run would. Set FitOptions.Threads to {saved} (or leave it unset) to resume.");
            }

            TrainingBackup.RemoveLeftovers(Path.GetFullPath(folder));
            return backup;
        }

        /// <summary>Whether <paramref name="callback"/> keeps state: DslNet's own stateful parts, or an override of <see cref="TrainingCallback.SaveState"/>.</summary>
        private static bool HasState(TrainingCallback callback) =>
            callback is IStatePart || callback.GetType().GetMethod(nameof(TrainingCallback.SaveState))!.DeclaringType != typeof(TrainingCallback);

        private static int ThreadsOf(StateRecord backup) => (int)backup.Number("loop/threads");

        /// <summary>Registers every stateful part of this run, once: backups and resuming save and restore through it.</summary>
        private TrainingState RegisterState(BatchSampler sampler, IReadOnlyList<TrainingCallback> callbacks)
        {
            var registered = TrainingState.ForSteps(model, optimizer).Register("sampler", sampler).Register("loop", this);
            // Callbacks with state, by type (a second one of a type gets "#2"): one without state (progress, a hook) may come
            // or go between a run and its resumption without moving the others' entries.
            var seen = new Dictionary<string, int>();
            foreach (var callback in callbacks.Where(HasState))
            {
                var type = callback.GetType().Name;
                var count = seen[type] = seen.GetValueOrDefault(type) + 1;
                registered.Register($"callback/{type}{(count > 1 ? $"#{count}" : "")}", callback as IStatePart ?? new CallbackStatePart(callback));
            }

            return registered;
        }

        /// <summary>Puts the run's state back from <paramref name="backup"/>; returns the epoch and step to go on from.</summary>
        private (int Epoch, int Step) Resume(StateRecord? backup, TrainingContext context)
        {
            if (backup is null)
            {
                return (1, 0);
            }

            state!.Restore(backup);
            context.Iteration = iteration;
            var (epoch, step) = (position.EpochsDone + 1, position.StepsDone);
            context.Message(step > 0
                ? $"Resuming from the backup in {settings.Options.BackupDirectory}: epoch {epoch}, after step {step}."
                : $"Resuming from the backup in {settings.Options.BackupDirectory}: after epoch {position.EpochsDone}.");
            return (epoch, step);
        }

        private void WriteBackup(string folder, Position at)
        {
            if (manifest is null || state is null)
            {
                return;
            }

            position = at;
            using var record = state.Capture();
            TrainingBackup.Write(folder, manifest, record);
        }

        /// <summary>This loop's own state: threads, position, running sums, the history.</summary>
        public void Save(StateRecord record, string prefix)
        {
            record.PutNumbers(prefix + "threads", history.Threads);
            record.PutNumbers(prefix + "recheck", recheckPending ? 1 : 0);
            record.PutNumbers(prefix + "position", position.EpochsDone, position.StepsDone, iteration, position.EpochSeconds);
            var running = position.Running;
            record.PutNumbers(prefix + "running", running.LossSum, running.Samples, Optional(running.Correct), Optional(running.SquaredErrors),
                Optional(running.AbsoluteErrors), running.ErrorCount);
            record.PutNumbers(prefix + "rows", [.. history.Rows.SelectMany(row => new[]
            {
                row.Epoch, row.Loss, row.Accuracy, row.ValLoss, row.ValAccuracy, row.LearningRate, row.Seconds, row.Rmse, row.Mae, row.ValRmse, row.ValMae,
            })]);
        }

        /// <summary>Puts back what <see cref="Save"/> stored.</summary>
        public void Restore(StateRecord record, string prefix)
        {
            // A backup written before the re-check of the threads still owes it (backups older than the re-check: no).
            recheckPending = record.HasNumbers(prefix + "recheck") && record.Number(prefix + "recheck") == 1;
            var at = record.Numbers(prefix + "position");
            iteration = (long)at[2];
            var running = record.Numbers(prefix + "running");
            position = new Position((int)at[0], (int)at[1], at[3], new RunningState(running[0], (long)running[1],
                double.IsNaN(running[2]) ? null : (long)running[2], NullIfNaN(running[3]), NullIfNaN(running[4]), (long)running[5]));
            var rows = record.Numbers(prefix + "rows");
            for (var i = 0; i + RowWidth <= rows.Length; i += RowWidth)
            {
                history.Add(new EpochRow((int)rows[i], rows[i + 1], rows[i + 2], rows[i + 3], rows[i + 4], rows[i + 5], rows[i + 6])
                {
                    Rmse = rows[i + 7],
                    Mae = rows[i + 8],
                    ValRmse = rows[i + 9],
                    ValMae = rows[i + 10],
                });
            }
        }

        private static double Optional(long? value) => value is { } v ? v : double.NaN;

        private static double Optional(double? value) => value ?? double.NaN;

        private static double? NullIfNaN(double value) => double.IsNaN(value) ? null : value;

        /// <summary>
        /// Where the run stands when a backup is written: completed epochs, steps done in the next one (0 = at an epoch end),
        /// the seconds that epoch has run and its running sums.
        /// </summary>
        private readonly record struct Position(int EpochsDone, int StepsDone, double EpochSeconds, RunningState Running);

        /// <summary>
        /// Keras' <c>BackupAndRestore</c>: the run's whole state at every epoch end that does not end training (and every
        /// <see cref="FitOptions.BackupEverySteps"/> steps within an epoch); removed when training ends.
        /// </summary>
        private sealed class BackupCallback(FitRun<TModel> run, string folder, int? everySteps) : TrainingCallback
        {
            public override void OnBatchEnd(TrainingContext context, int step, double loss)
            {
                if (everySteps is { } every && context.Iteration % every == 0 && step < context.StepsPerEpoch)
                {
                    run.WriteBackup(folder, new Position(context.Epoch - 1, step, context.EpochSeconds, context.Running!.State));
                }
            }

            public override void OnEpochEnd(TrainingContext context, EpochRow row)
            {
                if (!context.StopRequested && row.Epoch < context.Epochs)
                {
                    run.WriteBackup(folder, new Position(row.Epoch, 0, 0, default));
                }
            }

            public override void OnTrainEnd(TrainingContext context, History history) => TrainingBackup.Remove(folder);
        }
    }
}

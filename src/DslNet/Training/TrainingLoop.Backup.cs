using DslNet.Training.Backup;
using DslNet.Training.State;
using TorchSharp;
using static TorchSharp.torch;

namespace DslNet.Training;

public static partial class TrainingLoop
{
    /// <summary>
    /// Backup and restore of a run (<see cref="FitOptions.BackupDirectory"/>): the run's <see cref="TrainingState"/> is
    /// written at epoch ends (and every <see cref="TrainingSettings.BackupEverySteps"/> steps), and a run that finds a
    /// backup of itself goes on from there. What makes the resumed run equal an uninterrupted one is whatever the run's
    /// parts registered: the weights and buffers, the optimizer, the schedule and early stopping, the shuffling generator and
    /// the epoch's permutation, torch's global generator (dropout) and every augmentation layer's own generator, and this
    /// loop's part (<see cref="Save"/>): the thread count (reductions are ordered by it), the position in the run, the
    /// unfinished epoch's running sums, the history and the best epoch's weights.
    /// </summary>
    private sealed partial class FitRun<TModel> : IStatePart
    {
        private BackupManifest? manifest;
        private TrainingState? state;
        private Position position;

        /// <summary>Reads (and checks) the backup of this run, if the settings name a folder that holds one.</summary>
        private StateRecord? OpenBackup()
        {
            if (settings.BackupDirectory is not { } folder)
            {
                return null;
            }

            manifest = BackupManifest.For(model, settings.Name, train, validation, settings, optimizer, schedule, earlyStopping);
            var backup = TrainingBackup.Read(folder, manifest);
            if (backup is not null && settings.Threads is { } threads && threads != ThreadsOf(backup))
            {
                var saved = ThreadsOf(backup);
                backup.Dispose();
                throw new InvalidDataException(
                    $"'{TrainingBackup.PathIn(folder)}' is a backup of a run of {settings.Name} on {saved} threads, but FitOptions.Threads asks for {threads}: a " +
                    $"resumed run must use the same thread count to end as the uninterrupted run would. Set FitOptions.Threads to {saved} (or leave it unset) to resume.");
            }

            TrainingBackup.RemoveLeftovers(Path.GetFullPath(folder));
            return backup;
        }

        private static int ThreadsOf(StateRecord backup) => (int)backup.Number("loop/threads");

        /// <summary>Registers every stateful part of this run, once: backups and resuming save and restore through it.</summary>
        private TrainingState RegisterState(BatchSampler sampler)
        {
            var registered = TrainingState.ForSteps(model, optimizer);
            if (schedule is not null)
            {
                registered.Register("schedule", new NumbersPart(schedule.SaveState, schedule.RestoreState));
            }

            if (earlyStopping is not null)
            {
                registered.Register("early_stopping", new NumbersPart(earlyStopping.SaveState, earlyStopping.RestoreState));
            }

            return registered.Register("sampler", sampler).Register("loop", this);
        }

        /// <summary>Puts the run's state back from <paramref name="backup"/>; returns the epoch and step to go on from.</summary>
        private (int Epoch, int Step) Resume(StateRecord? backup, ProgressReporter progress)
        {
            if (backup is null)
            {
                return (1, 0);
            }

            state!.Restore(backup);
            var (epoch, step) = (position.EpochsDone + 1, position.StepsDone);
            progress.Message(step > 0
                ? $"Resuming from the backup in {settings.BackupDirectory}: epoch {epoch}, after step {step}."
                : $"Resuming from the backup in {settings.BackupDirectory}: after epoch {position.EpochsDone}.");
            return (epoch, step);
        }

        private void BackupWithinEpoch(int epoch, int stepsDone, BatchSampler sampler, RunningMetrics running, double epochSeconds)
        {
            if (settings.BackupEverySteps is { } every && iteration % every == 0 && stepsDone < sampler.Steps)
            {
                WriteBackup(new Position(epoch - 1, stepsDone, epochSeconds, running.State));
            }
        }

        private void BackupAtEpochEnd(int epoch)
        {
            if (epoch < settings.Epochs)
            {
                WriteBackup(new Position(epoch, 0, 0, default));
            }
        }

        private void WriteBackup(Position at)
        {
            if (settings.BackupDirectory is not { } folder || manifest is null || state is null)
            {
                return;
            }

            position = at;
            using var record = state.Capture();
            TrainingBackup.Write(folder, manifest, record);
        }

        private void RemoveBackup()
        {
            if (settings.BackupDirectory is { } folder)
            {
                TrainingBackup.Remove(folder);
            }
        }

        /// <summary>This loop's own state: threads, position, running sums, the best value and weights, the history.</summary>
        public void Save(StateRecord record, string prefix)
        {
            record.PutNumbers(prefix + "threads", history.Threads);
            record.PutNumbers(prefix + "position", position.EpochsDone, position.StepsDone, iteration, position.EpochSeconds);
            var running = position.Running;
            record.PutNumbers(prefix + "running", running.LossSum, running.Samples, Optional(running.Correct), Optional(running.SquaredErrors),
                Optional(running.AbsoluteErrors), running.ErrorCount);
            record.PutNumbers(prefix + "best_value", bestValue);
            record.PutNumbers(prefix + "rows", [.. history.Rows.SelectMany(row => new[]
            {
                row.Epoch, row.Loss, row.Accuracy, row.ValLoss, row.ValAccuracy, row.LearningRate, row.Seconds, row.Rmse, row.Mae, row.ValRmse, row.ValMae,
            })]);
            record.PutNumbers(prefix + "best_epoch", best?.Epoch ?? -1);
            foreach (var (name, tensor) in best?.Entries ?? new Dictionary<string, Tensor>())
            {
                record.Put(prefix + "best/" + name, tensor);
            }
        }

        /// <summary>Puts back what <see cref="Save"/> stored.</summary>
        public void Restore(StateRecord record, string prefix)
        {
            var at = record.Numbers(prefix + "position");
            iteration = (long)at[2];
            var running = record.Numbers(prefix + "running");
            position = new Position((int)at[0], (int)at[1], at[3], new RunningState(running[0], (long)running[1],
                double.IsNaN(running[2]) ? null : (long)running[2], NullIfNaN(running[3]), NullIfNaN(running[4]), (long)running[5]));
            bestValue = record.Number(prefix + "best_value");
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

            var bestEpoch = (int)record.Number(prefix + "best_epoch");
            best?.Dispose();
            best = bestEpoch < 0 ? null : ModelState.FromEntries(
                [.. record.TensorNames.Where(n => n.StartsWith(prefix + "best/", StringComparison.Ordinal)).ToArray()
                    .Select(n => KeyValuePair.Create(n[(prefix.Length + "best/".Length)..], record.Take(n)))], bestEpoch);
        }

        private const int RowWidth = 11;

        private static double Optional(long? value) => value is { } v ? v : double.NaN;

        private static double Optional(double? value) => value ?? double.NaN;

        private static double? NullIfNaN(double value) => double.IsNaN(value) ? null : value;

        /// <summary>
        /// Where the run stands when a backup is written: completed epochs, steps done in the next one (0 = at an epoch end),
        /// the seconds that epoch has run and its running sums.
        /// </summary>
        private readonly record struct Position(int EpochsDone, int StepsDone, double EpochSeconds, RunningState Running);
    }
}

using DslNet.Training.Backup;
using TorchSharp;
using static TorchSharp.torch;

namespace DslNet.Training;

public static partial class TrainingLoop
{
    /// <summary>
    /// Backup and restore of a run (<see cref="FitOptions.BackupDirectory"/>): the whole state is written at epoch ends
    /// (and every <see cref="TrainingSettings.BackupEverySteps"/> steps), and a run that finds a backup of itself goes on
    /// from there. What makes the resumed run equal an uninterrupted one: the weights and buffers, the optimizer's buffers,
    /// step count and learning rate, the schedule's and early stopping's state, the best epoch's weights, the history,
    /// the shuffling generator and the epoch's permutation, torch's global generator (dropout), the iteration counter, the
    /// unfinished epoch's running sums, and the thread count (reductions are ordered by it).
    /// </summary>
    private sealed partial class FitRun<TModel>
    {
        private BackupManifest? manifest;

        /// <summary>Reads (and checks) the backup of this run, if the settings name a folder that holds one.</summary>
        private TrainingBackup? OpenBackup()
        {
            if (settings.BackupDirectory is not { } folder)
            {
                return null;
            }

            manifest = BackupManifest.For(model, settings.Name, train, validation, settings, optimizer, schedule, earlyStopping);
            TrainingBackup? backup;
            try
            {
                backup = TrainingBackup.Read(folder, manifest);
            }
            catch (InvalidDataException error)
            {
                throw new InvalidDataException($"{settings.Name} cannot resume from its backup: {error.Message}", error);
            }

            if (backup is not null && settings.Threads is { } threads && threads != backup.Threads)
            {
                var path = TrainingBackup.PathIn(folder);
                backup.Dispose();
                throw new InvalidDataException(
                    $"{settings.Name} cannot resume from its backup: '{path}' is a backup of a run on {backup.Threads} threads, but FitOptions.Threads asks for {threads}: a resumed run must use the same " +
                    $"thread count to end as the uninterrupted run would. Set FitOptions.Threads to {backup.Threads} (or leave it unset) to resume.");
            }

            TrainingBackup.RemoveLeftovers(Path.GetFullPath(folder));
            return backup;
        }

        /// <summary>Puts the run's state back from <paramref name="backup"/>; returns the epoch and step to go on from.</summary>
        private (int Epoch, int Step) Resume(TrainingBackup? backup, BatchSampler sampler, ProgressReporter progress)
        {
            if (backup is null)
            {
                return (1, 0);
            }

            using (var scope = torch.NewDisposeScope())
            using (torch.no_grad())
            {
                foreach (var (name, tensor) in model.state_dict())
                {
                    tensor.copy_(backup.Weights[name]);
                }
            }

            optimizer.RestoreState(backup.OptimizerIterations, backup.LearningRate, backup.OptimizerSlots, backup.OptimizerScalars);
            schedule?.RestoreState(backup.ScheduleState);
            earlyStopping?.RestoreState(backup.EarlyStoppingState);
            foreach (var row in backup.Rows)
            {
                history.Add(row);
            }

            best = backup.Best;
            backup.Best = null; // now the run's, disposed by it
            bestValue = backup.BestValue;
            iteration = backup.Iteration;
            sampler.RestoreState(backup.SamplerGenerator, backup.Permutation);
            torch.set_rng_state(backup.TorchGenerator);
            var (epoch, step) = backup.StepsDone > 0 ? (backup.EpochsDone + 1, backup.StepsDone) : (backup.EpochsDone + 1, 0);
            progress.Message(step > 0
                ? $"Resuming from the backup in {settings.BackupDirectory}: epoch {epoch}, after step {step}."
                : $"Resuming from the backup in {settings.BackupDirectory}: after epoch {backup.EpochsDone}.");
            return (epoch, step);
        }

        /// <summary>Puts back the unfinished epoch's running sums; returns the seconds it had run.</summary>
        private static double ResumeEpoch(TrainingBackup backup, RunningMetrics running)
        {
            running.Restore(backup.Running);
            return backup.EpochSeconds;
        }

        private void BackupWithinEpoch(int epoch, int stepsDone, BatchSampler sampler, RunningMetrics running, double epochSeconds)
        {
            if (settings.BackupEverySteps is { } every && iteration % every == 0 && stepsDone < sampler.Steps)
            {
                WriteBackup(epoch - 1, stepsDone, sampler, running.State, epochSeconds);
            }
        }

        private void BackupAtEpochEnd(int epoch, BatchSampler sampler)
        {
            if (epoch < settings.Epochs)
            {
                WriteBackup(epoch, 0, sampler, default, 0);
            }
        }

        private void WriteBackup(int epochsDone, int stepsDone, BatchSampler sampler, RunningState running, double epochSeconds)
        {
            if (settings.BackupDirectory is not { } folder || manifest is null)
            {
                return;
            }

            using var scope = torch.NewDisposeScope();
            var weights = new Dictionary<string, Tensor>();
            foreach (var (name, tensor) in model.state_dict())
            {
                weights[name] = tensor;
            }

            var backup = new TrainingBackup
            {
                Threads = history.Threads,
                EpochsDone = epochsDone,
                StepsDone = stepsDone,
                Iteration = iteration,
                EpochSeconds = epochSeconds,
                Running = running,
                BestValue = bestValue,
                Rows = history.Rows,
                Weights = weights,
                Best = best,
                OptimizerIterations = optimizer.Iterations,
                LearningRate = optimizer.LearningRate,
                OptimizerSlots = [.. optimizer.Slots],
                OptimizerScalars = optimizer.ScalarState(),
                ScheduleState = schedule?.SaveState() ?? [],
                EarlyStoppingState = earlyStopping?.SaveState() ?? [],
                SamplerGenerator = sampler.GeneratorState(),
                Permutation = stepsDone > 0 ? sampler.Permutation : null,
                TorchGenerator = torch.get_rng_state(),
            };

            // Not disposed: every tensor belongs to the run (or to this scope).
            backup.Write(folder, manifest);
        }

        private void RemoveBackup()
        {
            if (settings.BackupDirectory is { } folder)
            {
                TrainingBackup.Remove(folder);
            }
        }
    }
}

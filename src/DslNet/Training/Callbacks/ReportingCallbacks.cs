namespace DslNet.Training.Callbacks;

/// <summary>Keras-like progress: "Epoch 3/100", the bar while an epoch runs (interactive consoles), the epoch's line.</summary>
internal sealed class ProgressCallback : TrainingCallback
{
    public override void OnEpochBegin(TrainingContext context, int epoch) => context.Progress.BeginEpoch(epoch);

    public override void OnBatchEnd(TrainingContext context, int step, double loss)
    {
        if (context.Progress.WantsUpdate(step))
        {
            context.Progress.Update(step, context.EpochClock.Elapsed, context.Running!.Values().Append(("lr", context.LearningRate)));
        }
    }

    public override void OnEpochEnd(TrainingContext context, EpochRow row) =>
        context.Progress.EndEpoch(context.Step, context.EpochClock.Elapsed, context.Running!.Values()
            .Append(("val_loss", row.ValLoss)).Append(("val_accuracy", row.ValAccuracy))
            .Append(("val_rmse", row.ValRmse)).Append(("val_mae", row.ValMae)).Append(("lr", row.LearningRate)));
}

/// <summary>Per-epoch TensorBoard event files (<see cref="FitOptions.TensorBoardDirectory"/>).</summary>
internal sealed class TensorBoardCallback(string directory) : TrainingCallback
{
    private readonly TensorBoardLog log = TensorBoardLog.Open(directory)!;

    public override void OnEpochEnd(TrainingContext context, EpochRow row) => log.Epoch(row);
}

/// <summary>The declared learning-rate schedule: the rate of every step, and the rules applied at an epoch's end.</summary>
internal sealed class ScheduleCallback : TrainingCallback
{
    private readonly LearningRateSchedule schedule;

    public ScheduleCallback(LearningRateSchedule schedule)
    {
        this.schedule = schedule;
        schedule.Reset();
    }

    public override void OnBatchBegin(TrainingContext context, int step) =>
        context.LearningRate = schedule.RateForBatch(context.Iteration, context.Epoch, context.LearningRate);

    public override void OnEpochEnd(TrainingContext context, EpochRow row)
    {
        var rate = schedule.RateAfterEpoch(row.Epoch, row, context.LearningRate);
        if (rate != context.LearningRate)
        {
            context.Message($"Epoch {row.Epoch}: learning rate changed to {ProgressReporter.Format(rate)}.");
            context.LearningRate = rate;
        }
    }

    public override double[] SaveState() => schedule.SaveState();

    public override void RestoreState(double[] state) => schedule.RestoreState(state);
}

/// <summary><see cref="FitOptions.OnEpochEnd"/>: a per-epoch function that may stop training.</summary>
internal sealed class EpochEndHookCallback(Func<EpochRow, bool> hook) : TrainingCallback
{
    public override void OnEpochEnd(TrainingContext context, EpochRow row)
    {
        if (hook(row) && !context.StopRequested)
        {
            context.StopTraining($"Training stopped after epoch {row.Epoch}: FitOptions.OnEpochEnd asked to stop.");
        }
    }
}

/// <summary>The history CSV and the learning curves in <see cref="FitOptions.LogDirectory"/>, when training ends.</summary>
internal sealed class LogFilesCallback(string folder, string name) : TrainingCallback
{
    public override void OnTrainEnd(TrainingContext context, History history)
    {
        history.SaveCsv(Path.Combine(folder, $"{name}.history.csv"));
        try
        {
            history.SavePlot(Path.Combine(folder, $"{name}.curves.png"));
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            context.Message($"Could not draw the learning curves ({error.Message}); the history CSV was written.");
        }
    }
}

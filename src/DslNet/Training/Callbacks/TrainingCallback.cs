namespace DslNet;

/// <summary>
/// A hook into <c>Fit</c>, as Keras' <c>keras.callbacks.Callback</c>: override the moments you need and pass instances in
/// <see cref="FitOptions.Callbacks"/>. DslNet's own parts of the loop are callbacks of the same kind (progress, TensorBoard,
/// best weights and early stopping, the learning-rate schedule, <see cref="FitOptions.OnEpochEnd"/>, backups). Every hook
/// receives the run's <see cref="TrainingContext"/>: read the epoch, step and history there, change the learning rate, or
/// stop training (<see cref="TrainingContext.StopTraining"/>, Keras' <c>model.stop_training = True</c>).
/// </summary>
/// <remarks>
/// Order: your callbacks run after DslNet's reporting, best-weight, schedule and <c>OnEpochEnd</c> callbacks and before the
/// backup, so a backup holds what they did. An epoch whose loss became NaN or infinite ends training before
/// <see cref="OnEpochEnd"/>; <see cref="OnTrainEnd"/> is still called. A callback that keeps state across epochs and
/// must resume with a backup (<see cref="FitOptions.BackupDirectory"/>) returns it from <see cref="SaveState"/>.
/// </remarks>
public abstract class TrainingCallback
{
    /// <summary>Before the first epoch (after a resumed run's state was put back).</summary>
    public virtual void OnTrainBegin(TrainingContext context)
    {
    }

    /// <summary>At the start of epoch <paramref name="epoch"/> (1-based).</summary>
    public virtual void OnEpochBegin(TrainingContext context, int epoch)
    {
    }

    /// <summary>Before training step <paramref name="step"/> (1-based within the epoch); the learning rate set here is used for it.</summary>
    public virtual void OnBatchBegin(TrainingContext context, int step)
    {
    }

    /// <summary>After training step <paramref name="step"/>, whose mean batch loss was <paramref name="loss"/>.</summary>
    public virtual void OnBatchEnd(TrainingContext context, int step, double loss)
    {
    }

    /// <summary>After the epoch's validation: <paramref name="row"/> is its row of the history (already in <see cref="TrainingContext.History"/>).</summary>
    public virtual void OnEpochEnd(TrainingContext context, EpochRow row)
    {
    }

    /// <summary>After the last epoch, once the kept weights are in the model.</summary>
    public virtual void OnTrainEnd(TrainingContext context, History history)
    {
    }

    /// <summary>This callback's state for a training backup (numbers only); empty by default.</summary>
    public virtual double[] SaveState() => [];

    /// <summary>Puts back what <see cref="SaveState"/> returned when a run resumes from a backup.</summary>
    public virtual void RestoreState(double[] state)
    {
    }
}

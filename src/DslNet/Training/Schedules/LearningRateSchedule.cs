namespace DslNet.Training;

/// <summary>
/// A learning-rate schedule. The training loop asks <see cref="RateForBatch"/> before every batch and
/// <see cref="RateAfterEpoch"/> after every epoch; each returns the rate to use from then on.
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>
    /// The rate for the next batch. <paramref name="iteration"/> counts batches from 0 across epochs (Keras'
    /// <c>optimizer.iterations</c>); <paramref name="epoch"/> is the current epoch, from 1.
    /// </summary>
    public virtual double RateForBatch(long iteration, int epoch, double currentRate) => currentRate;

    /// <summary>The rate after epoch <paramref name="epoch"/> (from 1) ended with <paramref name="row"/>.</summary>
    public virtual double RateAfterEpoch(int epoch, EpochRow row, double currentRate) => currentRate;

    /// <summary>Forgets what earlier runs taught a stateful schedule; called at the start of every <c>Fit</c>.</summary>
    public virtual void Reset()
    {
    }

    /// <summary>
    /// The state a training backup keeps beyond the iteration and epoch counters (which every rate is a function of, e.g.
    /// 1cycle's position): empty for the stateless schedules.
    /// </summary>
    internal virtual double[] SaveState() => [];

    /// <summary>Puts back what <see cref="SaveState"/> returned.</summary>
    internal virtual void RestoreState(double[] state)
    {
    }
}

namespace DslNet.Training;

/// <summary>
/// Keras <c>EarlyStopping</c>: every epoch without an improvement (by more than <see cref="MinDelta"/>) adds one to a
/// wait that an improvement resets; training stops when the wait reaches <see cref="Patience"/>, i.e. at epoch
/// best + patience. With <see cref="RestoreBestWeights"/> the best epoch's weights (the whole state, batch-norm
/// statistics included) are put back when training ends (as Keras 3 does, also when every epoch ran).
/// </summary>
public sealed class EarlyStopping
{
    private readonly MonitoredMetric metric;
    private int wait;

    /// <summary>Early stopping on <paramref name="monitor"/>.</summary>
    public EarlyStopping(Monitored monitor = Monitored.ValLoss, int patience = 10, double minDelta = 0, bool restoreBestWeights = true)
    {
        metric = new MonitoredMetric(monitor);
        Patience = patience >= 0 ? patience : throw new ArgumentOutOfRangeException(nameof(patience), patience, "Patience must be ≥ 0 epochs.");
        MinDelta = Hyperparameters.NonNegative(minDelta, nameof(minDelta));
        RestoreBestWeights = restoreBestWeights;
        Reset();
    }

    /// <summary>The watched metric.</summary>
    public Monitored Monitor => metric.Monitor;

    /// <summary>Epochs without improvement before training stops.</summary>
    public int Patience { get; }

    /// <summary>The smallest change that counts as an improvement.</summary>
    public double MinDelta { get; }

    /// <summary>Whether the best epoch's weights are restored at the end.</summary>
    public bool RestoreBestWeights { get; }

    /// <summary>The best monitored value so far.</summary>
    public double BestValue { get; private set; }

    /// <summary>The epoch (from 1) of <see cref="BestValue"/>, 0 before any.</summary>
    public int BestEpoch { get; private set; }

    internal MonitoredMetric Metric => metric;

    /// <summary>Forgets the previous run; called at the start of every <c>Fit</c>.</summary>
    public void Reset()
    {
        BestValue = metric.Worst;
        BestEpoch = 0;
        wait = 0;
    }

    /// <summary>The state a training backup keeps: best value, best epoch, wait.</summary>
    internal double[] SaveState() => [BestValue, BestEpoch, wait];

    /// <summary>Puts back what <see cref="SaveState"/> returned.</summary>
    internal void RestoreState(double[] state)
    {
        BestValue = state[0];
        BestEpoch = (int)state[1];
        wait = (int)state[2];
    }

    /// <summary>Records epoch <paramref name="row"/>; returns whether it improved on the best and whether training must stop.</summary>
    internal (bool Improved, bool Stop) Update(EpochRow row)
    {
        var current = metric.Value(row);
        wait++;
        var improved = metric.Improves(current, BestValue, MinDelta);
        if (improved)
        {
            BestValue = current;
            BestEpoch = row.Epoch;
            wait = 0;
        }

        return (improved, wait >= Patience && row.Epoch > 1);
    }
}

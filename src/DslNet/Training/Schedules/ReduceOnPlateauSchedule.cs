namespace DslNet.Training;

/// <summary>
/// Performance scheduling (Keras <c>ReduceLROnPlateau</c>, no cooldown): after <see cref="Patience"/> epochs without an
/// improvement larger than <see cref="MinDelta"/>, the rate is multiplied by <see cref="Factor"/> (never below
/// <see cref="MinRate"/>) and the wait starts over.
/// </summary>
public sealed class ReduceOnPlateauSchedule : LearningRateSchedule
{
    private readonly MonitoredMetric metric;
    private double best;
    private int wait;

    /// <summary>The schedule (Keras defaults in the book: factor 0.5, patience 5; min delta 1e-4 as Keras).</summary>
    public ReduceOnPlateauSchedule(Monitored monitor, double factor = 0.5, int patience = 5, double minRate = 0, double minDelta = 1e-4)
    {
        metric = new MonitoredMetric(monitor);
        Factor = factor is > 0 and < 1 ? factor : throw new ArgumentOutOfRangeException(nameof(factor), factor, "The factor must be in (0, 1): it multiplies the rate on a plateau.");
        Patience = patience >= 0 ? patience : throw new ArgumentOutOfRangeException(nameof(patience), patience, "Patience must be ≥ 0 epochs.");
        MinRate = Hyperparameters.NonNegative(minRate, nameof(minRate));
        MinDelta = Hyperparameters.NonNegative(minDelta, nameof(minDelta));
        Reset();
    }

    /// <summary>The watched metric.</summary>
    public Monitored Monitor => metric.Monitor;

    /// <summary>The factor applied on a plateau.</summary>
    public double Factor { get; }

    /// <summary>Epochs without improvement before the rate drops.</summary>
    public int Patience { get; }

    /// <summary>The lowest rate.</summary>
    public double MinRate { get; }

    /// <summary>The smallest change that counts as an improvement.</summary>
    public double MinDelta { get; }

    /// <inheritdoc />
    public override void Reset()
    {
        best = metric.Worst;
        wait = 0;
    }

    internal override double[] SaveState() => [best, wait];

    internal override void RestoreState(double[] state)
    {
        best = state[0];
        wait = (int)state[1];
    }

    /// <inheritdoc />
    public override double RateAfterEpoch(int epoch, EpochRow row, double currentRate)
    {
        ArgumentNullException.ThrowIfNull(row);
        var current = metric.Value(row);
        if (metric.Improves(current, best, MinDelta))
        {
            best = current;
            wait = 0;
            return currentRate;
        }

        wait++;
        if (wait < Patience || currentRate <= MinRate)
        {
            return currentRate;
        }

        wait = 0;
        return Math.Max(currentRate * Factor, MinRate);
    }
}

namespace DslNet.Training;

/// <summary>
/// The quantity a callback watches, read from an <see cref="EpochRow"/>: the validation metric, or its training
/// counterpart when there is no validation data (Keras would warn and do nothing; DslNet watches what exists).
/// </summary>
internal readonly record struct MonitoredMetric(Monitored Monitor)
{
    public bool HigherIsBetter => Monitor == Monitored.ValAccuracy;

    /// <summary>The worst possible value, which any finite value improves on.</summary>
    public double Worst => HigherIsBetter ? double.NegativeInfinity : double.PositiveInfinity;

    public double Value(EpochRow row) => Monitor switch
    {
        Monitored.ValAccuracy => double.IsNaN(row.ValAccuracy) ? row.Accuracy : row.ValAccuracy,
        _ => double.IsNaN(row.ValLoss) ? row.Loss : row.ValLoss,
    };

    public string Name(EpochRow row) => Monitor switch
    {
        Monitored.ValAccuracy => double.IsNaN(row.ValAccuracy) ? "accuracy" : "val_accuracy",
        _ => double.IsNaN(row.ValLoss) ? "loss" : "val_loss",
    };

    /// <summary>Keras' test: current − minDelta &gt; best (maximized) or current + minDelta &lt; best (minimized); NaN never improves.</summary>
    public bool Improves(double current, double best, double minDelta = 0) =>
        HigherIsBetter ? current - minDelta > best : current + minDelta < best;
}

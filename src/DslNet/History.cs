using DslNet.IO;
using DslNet.Plotting;
using DslNet.Training;

namespace DslNet;

/// <summary>What <c>Fit</c> did: one <see cref="EpochRow"/> per epoch, the best epoch, and why training stopped.</summary>
public sealed class History
{
    private static readonly string[] Header = ["epoch", "loss", "accuracy", "val_loss", "val_accuracy", "lr", "seconds"];
    private static readonly string[] RegressionHeader = [.. Header, "rmse", "mae", "val_rmse", "val_mae"];
    private readonly List<EpochRow> rows = [];
    private readonly MonitoredMetric metric;

    /// <summary>An empty history whose <see cref="Best"/> epoch is chosen by <paramref name="monitor"/>.</summary>
    public History(Monitored monitor = Monitored.ValLoss)
    {
        metric = new MonitoredMetric(monitor);
    }

    /// <summary>The metric that picks <see cref="Best"/> (falling back to the training metric when there was no validation data).</summary>
    public Monitored Monitor => metric.Monitor;

    /// <summary>The epochs, in order.</summary>
    public IReadOnlyList<EpochRow> Rows => rows;

    /// <summary>The epoch with the best monitored value (val_loss by default; loss without validation data); the first of ties.</summary>
    public EpochRow Best
    {
        get
        {
            EpochRow? best = null;
            foreach (var row in rows)
            {
                if (best is null ? !double.IsNaN(metric.Value(row)) : metric.Improves(metric.Value(row), metric.Value(best)))
                {
                    best = row;
                }
            }

            return best ?? throw new InvalidOperationException("The history has no epoch with a finite monitored value, so there is no best epoch.");
        }
    }

    /// <summary>The number of the best epoch, or 0 when there is none.</summary>
    public int BestEpoch => rows.Any(r => !double.IsNaN(metric.Value(r))) ? Best.Epoch : 0;

    /// <summary>The epoch at which training stopped before its last epoch (early stopping, a NaN loss), or 0 when it ran them all.</summary>
    public int StoppedEpoch { get; internal set; }

    /// <summary>
    /// The epoch whose weights the model holds after <c>Fit</c>: the best epoch when early stopping restored it (or a
    /// non-finite loss stopped training), otherwise the last epoch trained; 0 when no epoch finished.
    /// </summary>
    public int KeptEpoch { get; internal set; }

    /// <summary>Why training stopped early, in words; null when it ran every epoch.</summary>
    public string? StopReason { get; internal set; }

    /// <summary>
    /// The number of intra-op threads training ran with, per replica (see <see cref="FitOptions.Threads"/>): with the
    /// automatic choice, the count after the re-check before the second epoch.
    /// </summary>
    public int Threads { get; internal set; }

    /// <summary>The number of data-parallel replicas training ran with (see <see cref="FitOptions.Replicas"/>); 1 = none.</summary>
    public int Replicas { get; internal set; } = 1;

    /// <summary>
    /// The seconds <c>Fit</c> spent timing candidate thread counts: before training, and again before the second epoch
    /// when that re-check runs (0 when the counts were given or cached).
    /// </summary>
    public double CalibrationSeconds { get; internal set; }

    /// <summary>The wall-clock time of the whole run.</summary>
    public double TotalSeconds { get; internal set; }

    /// <summary>Appends an epoch.</summary>
    public void Add(EpochRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        rows.Add(row);
    }

    /// <summary>
    /// Writes the rows as CSV (invariant culture; header <c>epoch,loss,accuracy,val_loss,val_accuracy,lr,seconds</c>, and for
    /// a regression model <c>rmse,mae,val_rmse,val_mae</c> after it), atomically.
    /// </summary>
    public void SaveCsv(string path)
    {
        if (rows.Any(r => !double.IsNaN(r.Rmse)))
        {
            CsvTable.Write(path, RegressionHeader, rows.Select(r =>
                (IReadOnlyList<double>)[r.Epoch, r.Loss, r.Accuracy, r.ValLoss, r.ValAccuracy, r.LearningRate, r.Seconds, r.Rmse, r.Mae, r.ValRmse, r.ValMae]));
            return;
        }

        CsvTable.Write(path, Header, rows.Select(r => (IReadOnlyList<double>)[r.Epoch, r.Loss, r.Accuracy, r.ValLoss, r.ValAccuracy, r.LearningRate, r.Seconds]));
    }

    /// <summary>Reads a history written by <see cref="SaveCsv"/>.</summary>
    public static History LoadCsv(string path, Monitored monitor = Monitored.ValLoss)
    {
        var history = new History(monitor);
        var regression = File.Exists(path) && File.ReadLines(path).FirstOrDefault()?.Trim() == string.Join(',', RegressionHeader);
        foreach (var v in CsvTable.Read(path, regression ? RegressionHeader : Header))
        {
            history.Add(regression
                ? new EpochRow((int)v[0], v[1], v[2], v[3], v[4], v[5], v[6]) { Rmse = v[7], Mae = v[8], ValRmse = v[9], ValMae = v[10] }
                : new EpochRow((int)v[0], v[1], v[2], v[3], v[4], v[5], v[6]));
        }

        return history;
    }

    /// <summary>Writes the learning curves as a PNG: loss and accuracy panels, training vs validation, by epoch.</summary>
    public void SavePlot(string path)
    {
        if (rows.Count == 0)
        {
            throw new InvalidOperationException("The history is empty: there are no learning curves to plot.");
        }

        var epochs = rows.Select(r => (double)r.Epoch).ToArray();
        Charts.Curve Curve(string name, Func<EpochRow, double> value) => new(name, epochs, rows.Select(value).ToArray());
        var panels = new List<Charts.Panel>
        {
            new("Loss", "epoch", "loss", [Curve("training", r => r.Loss), Curve("validation", r => r.ValLoss)]),
        };
        if (rows.Any(r => !double.IsNaN(r.Accuracy)))
        {
            panels.Add(new("Accuracy", "epoch", "accuracy", [Curve("training", r => r.Accuracy), Curve("validation", r => r.ValAccuracy)]));
        }

        if (rows.Any(r => !double.IsNaN(r.Rmse)))
        {
            panels.Add(new("RMSE", "epoch", "root mean squared error", [Curve("training", r => r.Rmse), Curve("validation", r => r.ValRmse)]));
            panels.Add(new("MAE", "epoch", "mean absolute error", [Curve("training", r => r.Mae), Curve("validation", r => r.ValMae)]));
        }

        Charts.SavePng(path, panels, 600 * panels.Count, 450);
    }
}

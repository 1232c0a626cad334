using DslNet.IO;
using DslNet.Training.State;
using TorchSharp;
using static TorchSharp.torch;

namespace DslNet.Training.Callbacks;

/// <summary>
/// The best epoch's weights and early stopping (Keras' <c>ModelCheckpoint(save_best_only)</c> and <c>EarlyStopping</c>):
/// after every epoch, the monitored value (early stopping's, else val_loss) is compared with the best so far; an
/// improvement keeps a copy of the weights (and writes <c>{Name}.best.weights</c> to the log folder); early stopping
/// ends training after its patience; at the end the best weights are put back when early stopping says so. Its state
/// (the best value and weights, early stopping's counters) is part of a run's backup.
/// </summary>
internal sealed class BestWeightsCallback : TrainingCallback, IStatePart, IDisposable
{
    private readonly nn.Module model;
    private readonly EarlyStopping? earlyStopping;
    private readonly TrainingSettings settings;
    private readonly MonitoredMetric metric;
    private ModelState? best;
    private double bestValue;

    public BestWeightsCallback(nn.Module model, EarlyStopping? earlyStopping, TrainingSettings settings)
    {
        this.model = model;
        this.earlyStopping = earlyStopping;
        this.settings = settings;
        metric = earlyStopping?.Metric ?? new MonitoredMetric(Monitored.ValLoss);
        earlyStopping?.Reset();
        bestValue = metric.Worst;
    }

    public override void OnEpochEnd(TrainingContext context, EpochRow row)
    {
        var current = metric.Value(row);
        var (improved, stop) = earlyStopping is null ? (metric.Improves(current, bestValue), false) : earlyStopping.Update(row);
        if (improved)
        {
            bestValue = current;
            if (best is null)
            {
                best = new ModelState(model);
            }
            else
            {
                best.Capture(model);
            }

            best.Epoch = row.Epoch;
            if (settings.Options.LogDirectory is { } folder)
            {
                var path = Path.Combine(folder, $"{settings.Name}.best.weights");
                AtomicFile.Write(path, temporary => (settings.WeightsWriter ?? SaveWeights)(model, temporary));
            }
        }

        if (stop)
        {
            context.StopTraining($"Early stopping: {metric.Name(row)} did not improve for {earlyStopping!.Patience} epochs after its best, " +
                                 $"{ProgressReporter.Format(earlyStopping.BestValue)} at epoch {earlyStopping.BestEpoch}.");
        }
    }

    /// <summary>Puts back the best epoch's weights when early stopping restores them and the last epoch was not the best.</summary>
    public override void OnTrainEnd(TrainingContext context, History history)
    {
        if (earlyStopping is { RestoreBestWeights: true } && best is not null && best.Epoch != history.Rows[^1].Epoch)
        {
            history.KeptEpoch = best.Epoch;
            best.Restore(model);
            context.Message($"Restoring model weights from the end of the best epoch: {best.Epoch}.");
        }
    }

    /// <summary>After a NaN or infinite loss: puts back the best epoch's weights, if any epoch improved; returns that epoch.</summary>
    public int? RestoreAfterNonFiniteLoss()
    {
        best?.Restore(model);
        return best?.Epoch;
    }

    public void Save(StateRecord record, string prefix)
    {
        record.PutNumbers(prefix + "best_value", bestValue);
        record.PutNumbers(prefix + "early_stopping", earlyStopping?.SaveState() ?? []);
        record.PutNumbers(prefix + "best_epoch", best?.Epoch ?? -1);
        foreach (var (name, tensor) in best?.Entries ?? new Dictionary<string, Tensor>())
        {
            record.Put(prefix + "weights/" + name, tensor);
        }
    }

    public void Restore(StateRecord record, string prefix)
    {
        bestValue = record.Number(prefix + "best_value");
        earlyStopping?.RestoreState(record.Numbers(prefix + "early_stopping"));
        var epoch = (int)record.Number(prefix + "best_epoch");
        best?.Dispose();
        var weights = prefix + "weights/";
        best = epoch < 0 ? null : ModelState.FromEntries(
            [.. record.TensorNames.Where(n => n.StartsWith(weights, StringComparison.Ordinal)).ToArray()
                .Select(n => KeyValuePair.Create(n[weights.Length..], record.Take(n)))], epoch);
    }

    public void Dispose() => best?.Dispose();

    private static void SaveWeights(nn.Module module, string path) => module.save(path);
}

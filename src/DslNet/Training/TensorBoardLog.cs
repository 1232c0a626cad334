using TorchSharp.Modules;
using static TorchSharp.torch.utils;

namespace DslNet.Training;

/// <summary>
/// Writes a run's figures as TensorBoard event files through TorchSharp's <c>SummaryWriter</c>, laid out as Keras'
/// <c>TensorBoard</c> callback does: <c>train/</c> and <c>validation/</c> folders with the tags <c>epoch_loss</c> and
/// <c>epoch_accuracy</c> (so TensorBoard draws the two curves on one chart), <c>epoch_learning_rate</c> under
/// <c>train/</c>, and the learning-rate finder's curve under <c>lr_finder/</c>. Values that are not finite (no validation
/// set, a regression's accuracy, a diverged batch) are left out.
/// </summary>
internal sealed class TensorBoardLog
{
    private readonly SummaryWriter train;
    private SummaryWriter? validation;
    private readonly string directory;

    private TensorBoardLog(string directory)
    {
        this.directory = directory;
        train = tensorboard.SummaryWriter(Path.Combine(directory, "train"));
    }

    /// <summary>The log of a <c>Fit</c> writing to <paramref name="directory"/>; null when no directory is set.</summary>
    public static TensorBoardLog? Open(string? directory) => directory is null ? null : new TensorBoardLog(directory);

    /// <summary>Writes one epoch's row at step = epoch.</summary>
    public void Epoch(EpochRow row)
    {
        Scalar(train, "epoch_loss", row.Loss, row.Epoch);
        Scalar(train, "epoch_accuracy", row.Accuracy, row.Epoch);
        Scalar(train, "epoch_learning_rate", row.LearningRate, row.Epoch);
        if (double.IsFinite(row.ValLoss) || double.IsFinite(row.ValAccuracy))
        {
            validation ??= tensorboard.SummaryWriter(Path.Combine(directory, "validation"));
            Scalar(validation, "epoch_loss", row.ValLoss, row.Epoch);
            Scalar(validation, "epoch_accuracy", row.ValAccuracy, row.Epoch);
        }
    }

    /// <summary>Writes the learning-rate finder's curve (step = batch): <c>loss</c> and <c>learning_rate</c> under <c>lr_finder/</c>.</summary>
    public static void LearningRateSearch(string? directory, IReadOnlyList<double> rates, IReadOnlyList<double> losses)
    {
        if (directory is null)
        {
            return;
        }

        var writer = tensorboard.SummaryWriter(Path.Combine(directory, "lr_finder"));
        for (var i = 0; i < rates.Count; i++)
        {
            Scalar(writer, "loss", losses[i], i + 1);
            Scalar(writer, "learning_rate", rates[i], i + 1);
        }
    }

    private static void Scalar(SummaryWriter writer, string tag, double value, int step)
    {
        if (double.IsFinite(value))
        {
            writer.add_scalar(tag, (float)value, step);
        }
    }
}

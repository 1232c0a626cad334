using TorchSharp;
using static TorchSharp.torch;

namespace DslNet.Training;

/// <summary>An epoch's running loss (weighted by batch size, as Keras) and accuracy; the correct count stays a tensor until read.</summary>
internal sealed class RunningMetrics : IDisposable
{
    private readonly bool classifier;
    private double lossSum;
    private long samples;
    private Tensor? correct;
    private Tensor? squaredErrors;
    private Tensor? absoluteErrors;
    private long errorCount;

    public RunningMetrics(bool classifier) => this.classifier = classifier;

    public double Loss => samples == 0 ? double.NaN : lossSum / samples;

    public double Accuracy => !classifier || samples == 0 || correct is null ? double.NaN : correct.item<long>() / (double)samples;

    /// <summary>Keras' RootMeanSquaredError over the epoch: sqrt(Σ squared errors / number of values); NaN for classifiers.</summary>
    public double Rmse => squaredErrors is null || errorCount == 0 ? double.NaN : Math.Sqrt(squaredErrors.ToDouble() / errorCount);

    /// <summary>Keras' MeanAbsoluteError over the epoch: Σ |error| / number of values; NaN for classifiers.</summary>
    public double Mae => absoluteErrors is null || errorCount == 0 ? double.NaN : absoluteErrors.ToDouble() / errorCount;

    /// <summary>Adds a regression batch's errors (the model's outputs minus the targets); a no-op for classifiers.</summary>
    public void AddErrors(ITrainableModel model, Tensor logits, Tensor targets)
    {
        if (classifier)
        {
            return;
        }

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var outputs = model.OutputKind switch
        {
            OutputKind.Sigmoid => logits.sigmoid(),
            OutputKind.Softmax => logits.softmax(-1),
            _ => logits,
        };
        var errors = outputs.to_type(ScalarType.Float64).sub(targets.to_type(ScalarType.Float64).reshape(outputs.shape));
        Accumulate(ref squaredErrors, errors.square().sum());
        Accumulate(ref absoluteErrors, errors.abs().sum());
        errorCount += errors.NumberOfElements;
    }

    public void Add(double batchLoss, int batchSize, Tensor? batchCorrect)
    {
        lossSum += batchLoss * batchSize;
        samples += batchSize;
        if (batchCorrect is null)
        {
            return;
        }

        if (correct is null)
        {
            correct = batchCorrect.to_type(ScalarType.Int64).clone().DetachFromDisposeScope();
        }
        else
        {
            correct.add_(batchCorrect);
        }
    }

    /// <summary>The sums so far (for training backups).</summary>
    public RunningState State => new(lossSum, samples, correct?.item<long>(), squaredErrors?.ToDouble(), absoluteErrors?.ToDouble(), errorCount);

    /// <summary>Puts back what <see cref="State"/> returned.</summary>
    public void Restore(RunningState state)
    {
        lossSum = state.LossSum;
        samples = state.Samples;
        errorCount = state.ErrorCount;
        correct?.Dispose();
        squaredErrors?.Dispose();
        absoluteErrors?.Dispose();
        correct = state.Correct is { } count ? torch.tensor(count).DetachFromDisposeScope() : null;
        squaredErrors = state.SquaredErrors is { } squares ? torch.tensor(squares, ScalarType.Float64).DetachFromDisposeScope() : null;
        absoluteErrors = state.AbsoluteErrors is { } absolutes ? torch.tensor(absolutes, ScalarType.Float64).DetachFromDisposeScope() : null;
    }

    public IEnumerable<(string Name, double Value)> Values()
    {
        yield return ("loss", Loss);
        yield return ("accuracy", Accuracy);
        yield return ("rmse", Rmse);
        yield return ("mae", Mae);
    }

    public void Dispose()
    {
        correct?.Dispose();
        squaredErrors?.Dispose();
        absoluteErrors?.Dispose();
    }

    private static void Accumulate(ref Tensor? total, Tensor batch)
    {
        if (total is null)
        {
            total = batch.clone().DetachFromDisposeScope();
        }
        else
        {
            total.add_(batch);
        }
    }
}

/// <summary>
/// An unfinished epoch's running sums, as a training backup keeps them: loss × samples, samples, correct predictions
/// (null when none were counted), and for regression the sums of squared and absolute errors (float64) and their count.
/// </summary>
internal readonly record struct RunningState(double LossSum, long Samples, long? Correct, double? SquaredErrors, double? AbsoluteErrors, long ErrorCount);

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

    public RunningMetrics(bool classifier) => this.classifier = classifier;

    public double Loss => samples == 0 ? double.NaN : lossSum / samples;

    public double Accuracy => !classifier || samples == 0 || correct is null ? double.NaN : correct.item<long>() / (double)samples;

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

    /// <summary>The sums so far (for training backups): loss × samples, samples, correct predictions (null when none counted).</summary>
    public (double LossSum, long Samples, long? Correct) State => (lossSum, samples, correct?.item<long>());

    /// <summary>Puts back what <see cref="State"/> returned.</summary>
    public void Restore(double savedLossSum, long savedSamples, long? savedCorrect)
    {
        lossSum = savedLossSum;
        samples = savedSamples;
        correct?.Dispose();
        correct = savedCorrect is { } count ? torch.tensor(count).DetachFromDisposeScope() : null;
    }

    public IEnumerable<(string Name, double Value)> Values()
    {
        yield return ("loss", Loss);
        yield return ("accuracy", Accuracy);
    }

    public void Dispose() => correct?.Dispose();
}

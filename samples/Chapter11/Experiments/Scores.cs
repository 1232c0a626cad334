using static TorchSharp.torch;

namespace DslNet.Samples.Chapter11.Experiments;

/// <summary>Accuracy and log loss of predicted class probabilities.</summary>
internal static class Scores
{
    public static (double Accuracy, double LogLoss) Of(Tensor probabilities, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var accuracy = probabilities.argmax(1).eq(labels).to_type(ScalarType.Float64).mean().item<double>();
        var logLoss = -probabilities.gather(1, labels.unsqueeze(1)).clamp_min(1e-7).log().to_type(ScalarType.Float64).mean().item<double>();
        return (accuracy, logLoss);
    }
}

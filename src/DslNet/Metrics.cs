using static TorchSharp.torch;

namespace DslNet;

/// <summary>The loss and accuracy of a model on a data set (accuracy is NaN for regression).</summary>
/// <param name="Loss">The mean loss per sample; for a model with ℓ1/ℓ2 penalties it includes them, as Keras' evaluate and val_loss do.</param>
/// <param name="Accuracy">The fraction of samples whose predicted class is the label.</param>
public readonly record struct Metrics(double Loss, double Accuracy)
{
    /// <summary>Regression models: the root mean squared error of the outputs (over every output value); NaN otherwise.</summary>
    public double Rmse { get; init; } = double.NaN;

    /// <summary>Regression models: the mean absolute error of the outputs; NaN otherwise.</summary>
    public double Mae { get; init; } = double.NaN;

    /// <summary>Binary models (one sigmoid unit): the fraction of predicted positives (probability &gt; 0.5) that are positive; NaN otherwise, or when nothing is predicted positive.</summary>
    public double Precision { get; init; } = double.NaN;

    /// <summary>Binary models: the fraction of positives (label &gt; 0.5) predicted positive; NaN otherwise, or when there are no positives.</summary>
    public double Recall { get; init; } = double.NaN;

    /// <summary>
    /// Binary models: the area under the ROC curve, computed exactly from the ranks of the predicted probabilities (ties
    /// count one half; Keras' <c>AUC</c> approximates the same area with 200 thresholds); NaN otherwise, or when only one class is present.
    /// </summary>
    public double Auc { get; init; } = double.NaN;

    /// <summary>
    /// The log loss (sparse categorical cross-entropy, probabilities floored at 1e-7) and the accuracy of predicted class
    /// probabilities [N, classes] against int64 labels [N] — for example of <c>PredictMonteCarlo</c>'s averaged predictions.
    /// </summary>
    public static Metrics FromProbabilities(Tensor probabilities, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(labels);
        if (probabilities.dim() != 2 || labels.dim() != 1 || probabilities.shape[0] != labels.shape[0])
        {
            throw new ArgumentException(
                $"Expected probabilities [N, classes] and labels [N], got {Dataset.ShapeText(probabilities.shape)} and {Dataset.ShapeText(labels.shape)}.",
                nameof(probabilities));
        }

        using var scope = NewDisposeScope();
        var accuracy = probabilities.argmax(1).eq(labels).to_type(ScalarType.Float64).mean().item<double>();
        var loss = -probabilities.to_type(ScalarType.Float64).gather(1, labels.unsqueeze(1)).clamp_min(1e-7).log().mean().item<double>();
        return new Metrics(loss, accuracy);
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var text = double.IsNaN(Accuracy) ? $"loss {Loss:0.0000}" : $"loss {Loss:0.0000}, accuracy {Accuracy:0.0000}";
        foreach (var (name, value) in new[] { ("rmse", Rmse), ("mae", Mae), ("precision", Precision), ("recall", Recall), ("auc", Auc) })
        {
            if (!double.IsNaN(value))
            {
                text += $", {name} {value:0.0000}";
            }
        }

        return text;
    }
}

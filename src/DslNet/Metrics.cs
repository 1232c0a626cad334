namespace DslNet;

/// <summary>The loss and accuracy of a model on a data set (accuracy is NaN for regression).</summary>
/// <param name="Loss">The mean loss per sample; for a model with ℓ1/ℓ2 penalties it includes them, as Keras' evaluate and val_loss do.</param>
/// <param name="Accuracy">The fraction of samples whose predicted class is the label.</param>
public readonly record struct Metrics(double Loss, double Accuracy)
{
    /// <inheritdoc />
    public override string ToString() => double.IsNaN(Accuracy) ? $"loss {Loss:0.0000}" : $"loss {Loss:0.0000}, accuracy {Accuracy:0.0000}";
}

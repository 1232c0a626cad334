namespace DslNet;

/// <summary>The loss and accuracy of a model on a data set (accuracy is NaN for regression).</summary>
/// <param name="Loss">The mean loss per sample (without regularization penalties, as Keras reports validation loss).</param>
/// <param name="Accuracy">The fraction of samples whose predicted class is the label.</param>
public readonly record struct Metrics(double Loss, double Accuracy)
{
    /// <inheritdoc />
    public override string ToString() => double.IsNaN(Accuracy) ? $"loss {Loss:0.0000}" : $"loss {Loss:0.0000}, accuracy {Accuracy:0.0000}";
}

namespace DslNet;

/// <summary>One epoch of training, as Keras' <c>History.history</c> records it. Absent values are NaN.</summary>
/// <param name="Epoch">The epoch number, from 1.</param>
/// <param name="Loss">The mean training loss over the epoch's batches (weighted by batch size, penalties included, as Keras reports it).</param>
/// <param name="Accuracy">The training accuracy over the epoch (NaN for regression).</param>
/// <param name="ValLoss">The validation loss at the end of the epoch (NaN without validation data).</param>
/// <param name="ValAccuracy">The validation accuracy at the end of the epoch (NaN without validation data or for regression).</param>
/// <param name="LearningRate">The learning rate of the epoch's last batch.</param>
/// <param name="Seconds">The epoch's wall-clock time, validation included.</param>
public sealed record EpochRow(int Epoch, double Loss, double Accuracy, double ValLoss, double ValAccuracy, double LearningRate, double Seconds)
{
    /// <summary>Regression models: the training root mean squared error over the epoch (Keras' <c>RootMeanSquaredError</c>); NaN for classifiers.</summary>
    public double Rmse { get; init; } = double.NaN;

    /// <summary>Regression models: the training mean absolute error over the epoch (Keras' <c>MeanAbsoluteError</c>); NaN for classifiers.</summary>
    public double Mae { get; init; } = double.NaN;

    /// <summary>Regression models: the validation RMSE at the end of the epoch; NaN without validation data or for classifiers.</summary>
    public double ValRmse { get; init; } = double.NaN;

    /// <summary>Regression models: the validation MAE at the end of the epoch; NaN without validation data or for classifiers.</summary>
    public double ValMae { get; init; } = double.NaN;
}

namespace DslNet;

/// <summary>One epoch of training, as Keras' <c>History.history</c> records it. Absent values are NaN.</summary>
/// <param name="Epoch">The epoch number, from 1.</param>
/// <param name="Loss">The mean training loss over the epoch's batches (weighted by batch size, penalties included, as Keras reports it).</param>
/// <param name="Accuracy">The training accuracy over the epoch (NaN for regression).</param>
/// <param name="ValLoss">The validation loss at the end of the epoch (NaN without validation data).</param>
/// <param name="ValAccuracy">The validation accuracy at the end of the epoch (NaN without validation data or for regression).</param>
/// <param name="LearningRate">The learning rate of the epoch's last batch.</param>
/// <param name="Seconds">The epoch's wall-clock time, validation included.</param>
public sealed record EpochRow(int Epoch, double Loss, double Accuracy, double ValLoss, double ValAccuracy, double LearningRate, double Seconds);

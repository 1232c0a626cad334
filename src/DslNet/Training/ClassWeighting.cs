using TorchSharp;
using static TorchSharp.torch;

namespace DslNet.Training;

/// <summary>
/// Keras' <c>class_weight</c> and <c>sample_weight</c>: each sample's loss multiplied by its class's weight, then averaged over the batch
/// (Keras' "sum over batch size" reduction: Σ wᵢ·lossᵢ / N, not divided by Σ wᵢ).
/// </summary>
internal static class ClassWeighting
{
    /// <summary>
    /// The weighted data loss of a batch. Computed with the model's own averaged loss per class present:
    /// Σ_c w_c · (n_c / N) · mean loss of class c = Σᵢ w_{class i} · lossᵢ / N.
    /// </summary>
    public static Tensor Loss(ITrainableModel model, Tensor logits, Tensor labels, Tensor weights)
    {
        var count = labels.shape[0];
        var classes = labels.dtype == ScalarType.Int64 ? labels : labels.reshape(count).round().to_type(ScalarType.Int64);
        Tensor? total = null;
        for (var c = 0; c < weights.shape[0]; c++)
        {
            var rows = classes.eq(c).nonzero().reshape(-1);
            var members = rows.shape[0];
            if (members == 0)
            {
                continue;
            }

            var part = model.DataLoss(logits.index_select(0, rows), labels.index_select(0, rows)).mul(weights[c].ToDouble() * members / count);
            total = total is null ? part : total.add(part);
        }

        return total ?? model.DataLoss(logits, labels).mul(0);
    }

    /// <summary>
    /// Keras' <c>sample_weight</c>: Σᵢ wᵢ·lossᵢ / N over the batch ("sum over batch size", not divided by Σ wᵢ), with
    /// wᵢ the sample's weight times, when <paramref name="classWeights"/> are given, its class's weight (tf.keras
    /// multiplies the two).
    /// </summary>
    public static Tensor SampleWeighted(ITrainableModel model, Tensor logits, Tensor labels, Tensor? classWeights, Tensor sampleWeights)
    {
        var count = labels.shape[0];
        var weights = sampleWeights.to_type(logits.dtype);
        if (classWeights is not null)
        {
            var classes = labels.dtype == ScalarType.Int64 ? labels : labels.reshape(count).round().to_type(ScalarType.Int64);
            weights = weights.mul(classWeights.to(logits.device).to_type(logits.dtype).index_select(0, classes.reshape(count)));
        }

        return model.SampleLosses(logits, labels).mul(weights).sum().div(count);
    }
}

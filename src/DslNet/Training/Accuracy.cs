using TorchSharp;
using static TorchSharp.torch;

namespace DslNet.Training;

/// <summary>Keras' accuracy metrics computed from logits: arg-max vs class labels (softmax), logit &gt; 0 vs 0/1 labels (one sigmoid unit).</summary>
internal static class Accuracy
{
    /// <summary>The number of correct predictions in the batch, as an int64 scalar tensor; null when accuracy does not apply.</summary>
    public static Tensor? CountCorrect(ITrainableModel model, Tensor logits, Tensor labels)
    {
        if (!model.IsClassifier)
        {
            return null;
        }

        using var noGrad = torch.no_grad();
        return model.OutputKind switch
        {
            OutputKind.Softmax => logits.argmax(-1).eq(labels).sum(),
            OutputKind.Sigmoid => logits.gt(0).eq(labels.reshape(logits.shape).gt(0.5)).sum(),
            _ => null,
        };
    }
}

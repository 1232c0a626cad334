using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace DslNet.Training;

/// <summary>
/// <c>[TestTimeAugmentation]</c> at inference: the weighted copies of a batch of images (airbench94's <c>infer_mirror</c> and
/// <c>infer_mirror_translate</c>) and the prediction averaged over them. DslNet averages the predictions (probabilities for a
/// softmax or sigmoid output, values for a linear one), as a Keras user averages <c>model.predict</c> over copies; airbench
/// averages logits. The loss and accuracy are those of the averaged prediction: the averaged probabilities are turned back
/// into logits (their logarithm for a softmax, their log-odds for a sigmoid), computed stably with log-sum-exp.
/// </summary>
internal static class TestTimeAugmenter
{
    /// <summary>
    /// The copies of <paramref name="batch"/> <c>[N, C, H, W]</c> and their weights (summing to 1): the batch and its mirror
    /// (flipped along W) with <c>Flip</c>; with <c>Translate = n</c> those weigh ½ and the (mirrored) copies shifted by (−n, −n)
    /// and (+n, +n), cropped from the batch reflect-padded by n, ¼ each.
    /// </summary>
    public static List<(Tensor Copy, double Weight)> Copies(Tensor batch, TestTimeAugmentationAttribute augmentation)
    {
        var copies = new List<(Tensor Copy, double Weight)>();
        void Mirrored(Tensor x, double weight)
        {
            if (augmentation.Flip)
            {
                copies.Add((x, weight / 2));
                copies.Add((x.flip(-1), weight / 2));
            }
            else
            {
                copies.Add((x, weight));
            }
        }

        var n = augmentation.Translate;
        if (n <= 0)
        {
            Mirrored(batch, 1);
            return copies;
        }

        long height = batch.shape[2], width = batch.shape[3];
        var padded = F.pad(batch, [n, n, n, n], PaddingModes.Reflect);
        Mirrored(batch, 0.5);
        Mirrored(padded.narrow(2, 0, height).narrow(3, 0, width), 0.25);
        Mirrored(padded.narrow(2, 2 * n, height).narrow(3, 2 * n, width), 0.25);
        return copies;
    }

    /// <summary>
    /// The logits whose output (softmax, sigmoid or identity) is the weighted average of the model's outputs over the copies
    /// of <paramref name="batch"/>: what the loss, the accuracy and <c>Predict</c> take.
    /// </summary>
    public static Tensor Logits(ITrainableModel model, Tensor batch, TestTimeAugmentationAttribute augmentation)
    {
        var copies = Copies(batch, augmentation);
        var logits = copies.Select(copy =>
        {
            // Each copy's activations are freed as soon as its logits are out (the caller's scope holds only those).
            using var scope = NewDisposeScope();
            return model.Logits(copy.Copy).MoveToOuterDisposeScope();
        }).ToList();
        Tensor WeightedLogSumExp(Func<Tensor, Tensor> logProbability) =>
            stack(logits.Select((z, k) => logProbability(z) + Math.Log(copies[k].Weight)).ToList(), 0).logsumexp(0);

        return model.OutputKind switch
        {
            // log Σ w·softmax(z) = logsumexp(log_softmax(z) + log w); its softmax is the average itself.
            OutputKind.Softmax => WeightedLogSumExp(z => F.log_softmax(z, -1)),

            // The log-odds of p̄ = Σ w·σ(z): log p̄ − log(1 − p̄), each a logsumexp of log σ(±z) + log w.
            OutputKind.Sigmoid => WeightedLogSumExp(z => F.logsigmoid(z)) - WeightedLogSumExp(z => F.logsigmoid(-z)),
            _ => stack(logits.Select((z, k) => z * copies[k].Weight).ToList(), 0).sum(dim: 0),
        };
    }
}

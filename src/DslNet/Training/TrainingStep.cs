using TorchSharp;
using static TorchSharp.torch;

namespace DslNet.Training;

/// <summary>
/// The training step, written once: what it minimizes (<see cref="Objective"/>) and how it ends (<see cref="Finish"/>).
/// <see cref="TrainingLoop.TrainBatch{TModel}"/> runs it on a whole batch; <see cref="DataParallelStep"/> runs the same
/// objective on each replica's part of the batch, weighted by the part's share, and finishes once with the summed gradients.
/// </summary>
internal static class TrainingStep
{
    /// <summary>
    /// The loss of a step on (part of) a batch: the model's data loss from the logits (weighted per sample when
    /// <paramref name="sampleWeights"/> is given, per class when <paramref name="classWeights"/> is, both multiplied as
    /// tf.keras does: <see cref="ClassWeighting.SampleWeighted"/>), times <paramref name="share"/> (the part's fraction of the batch; 1 for a
    /// whole batch), plus the declared weight penalties when <paramref name="withPenalty"/> (once per step, not per part).
    /// </summary>
    public static Tensor Objective(ITrainableModel model, Tensor logits, Tensor labels, Tensor? classWeights, Tensor? sampleWeights, double share, bool withPenalty)
    {
        var loss = sampleWeights is not null ? ClassWeighting.SampleWeighted(model, logits, labels, classWeights, sampleWeights)
            : classWeights is null ? model.DataLoss(logits, labels) : ClassWeighting.Loss(model, logits, labels, classWeights);
        if (share != 1)
        {
            loss = loss.mul(share);
        }

        if (withPenalty && model.Penalty() is { } penalty)
        {
            loss = loss.add(penalty);
        }

        return loss;
    }

    /// <summary>Ends a step whose gradients are in place: the optimizer's update, then the declared constraints (max-norm).</summary>
    public static void Finish(ITrainableModel model, Optimizer optimizer)
    {
        optimizer.Step();
        model.ApplyConstraints();
    }
}

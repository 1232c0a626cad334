using static TorchSharp.torch;

namespace DslNet.Training;

/// <summary>The Adam update shared by <see cref="Adam"/> and <see cref="AdamW"/> (Keras formula, ε outside the bias correction).</summary>
internal sealed class AdamMoments(AdamFamilyOptimizer owner, Tensor first, Tensor second, Tensor scratch)
{
    public void Apply(Tensor values, Tensor gradients, long step)
    {
        var rate = owner.LearningRate * Math.Sqrt(1 - Math.Pow(owner.Beta2, step)) / (1 - Math.Pow(owner.Beta1, step));
        if (FlatSpans.Fusable(values))
        {
            MomentKernel.Apply(values, gradients, first, second, owner.UpdateThreads,
                (float)(1 - owner.Beta1), (float)owner.Beta2, (float)(1 - owner.Beta2), (float)owner.Epsilon, 0, (float)-rate);
            return;
        }

        first.lerp_(gradients, 1 - owner.Beta1);
        second.mul_(owner.Beta2).addcmul_(gradients, gradients, value: 1 - owner.Beta2);
        values.addcdiv_(first, scratch.copy_(second).sqrt_().add_(owner.Epsilon), value: -rate);
    }
}

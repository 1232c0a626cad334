using static TorchSharp.torch;
using Parameter = TorchSharp.Modules.Parameter;

namespace DslNet.Training;

/// <summary>
/// Keras AdamW: decoupled weight decay w −= lr·λ·w applied before the <see cref="Adam"/> update (to every parameter, as
/// Keras does unless variables are excluded).
/// </summary>
public sealed class AdamW : AdamFamilyOptimizer
{
    private readonly AdamMoments moments;

    /// <summary>AdamW over <paramref name="parameters"/> (Keras defaults: lr 0.001, β1 0.9, β2 0.999, ε 1e-7, weight decay 0.004).</summary>
    public AdamW(IEnumerable<Parameter> parameters, double learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7, double weightDecay = 0.004)
        : base(parameters, learningRate, beta1, beta2, epsilon)
    {
        WeightDecay = Hyperparameters.NonNegative(weightDecay, nameof(weightDecay));
        moments = new AdamMoments(this, AddSlot(), AddSlot(), Scratch);
    }

    /// <summary>The decoupled weight decay λ.</summary>
    public double WeightDecay { get; }

    private protected override void Update(Tensor values, Tensor gradients, long step)
    {
        if (WeightDecay > 0)
        {
            values.mul_(1 - LearningRate * WeightDecay);
        }

        moments.Apply(values, gradients, step);
    }
}

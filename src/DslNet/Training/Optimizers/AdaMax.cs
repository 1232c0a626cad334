using static TorchSharp.torch;
using Parameter = TorchSharp.Modules.Parameter;

namespace DslNet.Training;

/// <summary>Keras AdaMax: m = β1·m + (1−β1)·g; u = max(β2·u, |g|); w −= lr/(1−β1ᵗ) · m / (u + ε).</summary>
public sealed class AdaMax : AdamFamilyOptimizer
{
    private readonly Tensor first;
    private readonly Tensor infinityNorm;

    /// <summary>AdaMax over <paramref name="parameters"/> (Keras defaults: lr 0.001, β1 0.9, β2 0.999, ε 1e-7).</summary>
    public AdaMax(IEnumerable<Parameter> parameters, double learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7)
        : base(parameters, learningRate, beta1, beta2, epsilon)
    {
        first = AddSlot();
        infinityNorm = AddSlot();
    }

    private protected override void Update(Tensor values, Tensor gradients, long step)
    {
        var rate = LearningRate / (1 - Math.Pow(Beta1, step));
        first.lerp_(gradients, 1 - Beta1);
        infinityNorm.copy_(infinityNorm.mul_(Beta2).maximum(gradients.abs()));
        values.addcdiv_(first, Scratch.copy_(infinityNorm).add_(Epsilon), value: -rate);
    }
}

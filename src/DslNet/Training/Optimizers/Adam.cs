using static TorchSharp.torch;
using Parameter = TorchSharp.Modules.Parameter;

namespace DslNet.Training;

/// <summary>
/// Keras Adam: m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²; w −= lrₜ·m / (√v + ε) with lrₜ = lr·√(1−β2ᵗ)/(1−β1ᵗ)
/// (ε outside the bias correction, unlike torch).
/// </summary>
public sealed class Adam : AdamFamilyOptimizer
{
    private readonly AdamMoments moments;

    /// <summary>Adam over <paramref name="parameters"/> (Keras defaults: lr 0.001, β1 0.9, β2 0.999, ε 1e-7).</summary>
    public Adam(IEnumerable<Parameter> parameters, double learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7)
        : base(parameters, learningRate, beta1, beta2, epsilon)
    {
        moments = new AdamMoments(this, AddSlot(), AddSlot(), Scratch);
    }

    private protected override void Update(Tensor values, Tensor gradients, long step) => moments.Apply(values, gradients, step);
}

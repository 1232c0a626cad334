using static TorchSharp.torch;

namespace DslNet.Training;

/// <summary>
/// Weight penalties with Keras' meaning, added to the training loss by a model's <see cref="ITrainableModel.Penalty"/>.
/// A frozen weight (a parameter that requires no gradient) adds nothing: Keras takes the penalties of trainable weights only.
/// </summary>
public static class Penalties
{
    /// <summary>Keras <c>l1(λ)</c>: λ·Σ|w|.</summary>
    public static Tensor L1(Tensor weight, double l1)
    {
        ArgumentNullException.ThrowIfNull(weight);
        Hyperparameters.NonNegative(l1, nameof(l1));
        return weight is TorchSharp.Modules.Parameter { requires_grad: false } ? Frozen(weight) : weight.abs().sum().mul_(l1);
    }

    /// <summary>Keras <c>l2(λ)</c>: λ·Σw² (no ½, so its gradient is 2λw: torch weight decay 2λ).</summary>
    public static Tensor L2(Tensor weight, double l2)
    {
        ArgumentNullException.ThrowIfNull(weight);
        Hyperparameters.NonNegative(l2, nameof(l2));
        return weight is TorchSharp.Modules.Parameter { requires_grad: false } ? Frozen(weight) : weight.square().sum().mul_(l2);
    }

    private static Tensor Frozen(Tensor weight) => zeros([], weight.dtype, weight.device);
}

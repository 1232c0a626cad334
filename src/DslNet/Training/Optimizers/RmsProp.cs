using static TorchSharp.torch;
using Parameter = TorchSharp.Modules.Parameter;

namespace DslNet.Training;

/// <summary>
/// Keras RMSprop. v = ρ·v + (1−ρ)·g². Without momentum: w −= lr·g / (√v + ε). With momentum μ (TensorFlow's
/// <c>ApplyRMSProp</c> kernel, which Keras calls then; ε inside the root): s = μ·s + lr·g / √(v + ε); w −= s.
/// </summary>
public sealed class RmsProp : Optimizer
{
    private readonly Tensor meanSquare;
    private readonly Tensor? velocity;

    /// <summary>RMSprop over <paramref name="parameters"/> (Keras defaults: lr 0.001, ρ 0.9, momentum 0, ε 1e-7).</summary>
    public RmsProp(IEnumerable<Parameter> parameters, double learningRate, double rho = 0.9, double momentum = 0, double epsilon = 1e-7)
        : base(parameters, learningRate)
    {
        Rho = Hyperparameters.Fraction(rho, nameof(rho));
        Momentum = Hyperparameters.Fraction(momentum, nameof(momentum));
        Epsilon = Hyperparameters.Positive(epsilon, nameof(epsilon));
        meanSquare = AddSlot();
        if (Momentum > 0)
        {
            velocity = AddSlot();
        }
    }

    /// <summary>The squared-gradient average's decay ρ.</summary>
    public double Rho { get; }

    /// <summary>The momentum (0 = none).</summary>
    public double Momentum { get; }

    /// <summary>The denominator's ε.</summary>
    public double Epsilon { get; }

    private protected override void Update(Tensor values, Tensor gradients, long step)
    {
        meanSquare.mul_(Rho).addcmul_(gradients, gradients, value: 1 - Rho);
        if (velocity is null)
        {
            values.addcdiv_(gradients, Scratch.copy_(meanSquare).sqrt_().add_(Epsilon), value: -LearningRate);
            return;
        }

        velocity.mul_(Momentum).addcdiv_(gradients, Scratch.copy_(meanSquare).add_(Epsilon).sqrt_(), value: LearningRate);
        values.sub_(velocity);
    }
}

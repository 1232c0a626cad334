using static TorchSharp.torch;
using Parameter = TorchSharp.Modules.Parameter;

namespace DslNet.Training;

/// <summary>
/// Keras SGD. Without momentum: w −= lr·g. With momentum β (Keras keeps the learning rate inside the velocity):
/// v = β·v − lr·g; w += v, or with Nesterov w += β·v − lr·g.
/// </summary>
public sealed class Sgd : Optimizer
{
    private readonly Tensor? velocity;

    /// <summary>SGD over <paramref name="parameters"/> (Keras defaults: lr 0.01, momentum 0).</summary>
    public Sgd(IEnumerable<Parameter> parameters, double learningRate, double momentum = 0, bool nesterov = false)
        : base(parameters, learningRate)
    {
        Momentum = Hyperparameters.Fraction(momentum, nameof(momentum));
        Nesterov = nesterov;
        if (Momentum > 0)
        {
            velocity = AddSlot();
        }
    }

    /// <summary>The momentum β (0 = plain SGD).</summary>
    public double Momentum { get; }

    /// <summary>Whether the Nesterov form is used.</summary>
    public bool Nesterov { get; }

    private protected override void Update(Tensor values, Tensor gradients, long step)
    {
        if (velocity is null)
        {
            values.add_(gradients, alpha: -LearningRate);
            return;
        }

        velocity.mul_(Momentum).add_(gradients, alpha: -LearningRate);
        if (Nesterov)
        {
            values.add_(velocity, alpha: Momentum).add_(gradients, alpha: -LearningRate);
        }
        else
        {
            values.add_(velocity);
        }
    }
}

using static TorchSharp.torch;
using Parameter = TorchSharp.Modules.Parameter;

namespace DslNet.Training;

/// <summary>Keras AdaGrad: a = a + g² (a starts at the initial accumulator value); w −= lr·g / (√a + ε).</summary>
public sealed class AdaGrad : Optimizer
{
    private readonly Tensor accumulator;

    /// <summary>AdaGrad over <paramref name="parameters"/> (Keras defaults: lr 0.001, initial accumulator 0.1, ε 1e-7).</summary>
    public AdaGrad(IEnumerable<Parameter> parameters, double learningRate, double initialAccumulator = 0.1, double epsilon = 1e-7)
        : base(parameters, learningRate)
    {
        InitialAccumulator = Hyperparameters.NonNegative(initialAccumulator, nameof(initialAccumulator));
        Epsilon = Hyperparameters.Positive(epsilon, nameof(epsilon));
        accumulator = AddSlot(InitialAccumulator);
    }

    /// <summary>The accumulators' starting value.</summary>
    public double InitialAccumulator { get; }

    /// <summary>The denominator's ε.</summary>
    public double Epsilon { get; }

    private protected override void Update(Tensor values, Tensor gradients, long step)
    {
        accumulator.addcmul_(gradients, gradients, value: 1);
        values.addcdiv_(gradients, Scratch.copy_(accumulator).sqrt_().add_(Epsilon), value: -LearningRate);
    }
}

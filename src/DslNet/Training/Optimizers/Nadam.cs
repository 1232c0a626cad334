using static TorchSharp.torch;
using Parameter = TorchSharp.Modules.Parameter;

namespace DslNet.Training;

/// <summary>
/// Keras 2 Nadam (the book's runs; <c>optimizer_v2/nadam.py</c>) with the momentum schedule μₜ = β1·(1 − ½·0.96^(0.004·t)):
/// with the cache Πₜ = μ1…μₜ,
/// m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²; v̂ = v / (1−β2ᵗ);
/// w −= lr · ((1−μₜ)·g/(1−Πₜ) + μₜ₊₁·m/(1−Πₜ·μₜ₊₁)) / (√v̂ + ε).
/// </summary>
public sealed class Nadam : AdamFamilyOptimizer
{
    private const double MomentumDecay = 0.004;
    private readonly Tensor first;
    private readonly Tensor second;
    private double momentumCache = 1;

    /// <summary>Nadam over <paramref name="parameters"/> (Keras defaults: lr 0.001, β1 0.9, β2 0.999, ε 1e-7).</summary>
    public Nadam(IEnumerable<Parameter> parameters, double learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7)
        : base(parameters, learningRate, beta1, beta2, epsilon)
    {
        first = AddSlot();
        second = AddSlot();
    }

    private protected override void Update(Tensor values, Tensor gradients, long step)
    {
        var momentum = Momentum(step);
        var nextMomentum = Momentum(step + 1);
        momentumCache *= momentum;
        var nextCache = momentumCache * nextMomentum;

        // √(v/(1−β2ᵗ)) + ε = (√v + ε·√(1−β2ᵗ)) / √(1−β2ᵗ): the correction moves into the scalar coefficients.
        var correction = Math.Sqrt(1 - Math.Pow(Beta2, step));
        var epsilon = Epsilon * correction;
        var gradientCoefficient = -LearningRate * correction * (1 - momentum) / (1 - momentumCache);
        var momentCoefficient = -LearningRate * correction * nextMomentum / (1 - nextCache);
        if (FlatSpans.Fusable(values))
        {
            MomentKernel.Apply(values, gradients, first, second, UpdateThreads,
                (float)(1 - Beta1), (float)Beta2, (float)(1 - Beta2), (float)epsilon, (float)gradientCoefficient, (float)momentCoefficient);
            return;
        }

        first.lerp_(gradients, 1 - Beta1);
        second.mul_(Beta2).addcmul_(gradients, gradients, value: 1 - Beta2);
        var denominator = Scratch.copy_(second).sqrt_().add_(epsilon);
        values.addcdiv_(gradients, denominator, value: gradientCoefficient);
        values.addcdiv_(first, denominator, value: momentCoefficient);
    }

    private protected override double[] SaveScalars() => [momentumCache];

    private protected override void RestoreScalars(double[] scalars) => momentumCache = scalars[0];

    private double Momentum(long step) => Beta1 * (1 - 0.5 * Math.Pow(0.96, MomentumDecay * step));
}

using Parameter = TorchSharp.Modules.Parameter;

namespace DslNet.Training;

/// <summary>The optimizers with Adam's two moment decays and denominator ε: <see cref="Adam"/>, <see cref="AdamW"/>, <see cref="AdaMax"/>, <see cref="Nadam"/>.</summary>
public abstract class AdamFamilyOptimizer : Optimizer
{
    private protected AdamFamilyOptimizer(IEnumerable<Parameter> parameters, double learningRate, double beta1, double beta2, double epsilon)
        : base(parameters, learningRate)
    {
        Beta1 = Hyperparameters.Fraction(beta1, nameof(beta1));
        Beta2 = Hyperparameters.Fraction(beta2, nameof(beta2));
        Epsilon = Hyperparameters.Positive(epsilon, nameof(epsilon));
    }

    /// <summary>The first moment's decay β1.</summary>
    public double Beta1 { get; }

    /// <summary>The second moment's (or infinity norm's) decay β2.</summary>
    public double Beta2 { get; }

    /// <summary>The denominator's ε (Keras default 1e-7).</summary>
    public double Epsilon { get; }
}

namespace DslNet;

/// <summary>Base of the optimizer attributes; a model declares at most one. Defaults are Keras'.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public abstract class OptimizerAttribute : Attribute
{
    private protected OptimizerAttribute(double learningRate) => LearningRate = learningRate;

    /// <summary>The (initial) learning rate.</summary>
    public double LearningRate { get; set; }

    /// <summary>Clip each variable's gradient to this norm (Keras <c>clipnorm</c>: per variable, not global); 0 = off.</summary>
    public double ClipNorm { get; set; }

    /// <summary>Clip every gradient element to [−ClipValue, ClipValue] (Keras <c>clipvalue</c>); 0 = off.</summary>
    public double ClipValue { get; set; }

    /// <summary>
    /// Keras 3's <c>use_ema</c>: keep an exponential moving average of the trainable weights (updated after every step),
    /// validate with it, and put it into the model at the end of <c>Fit</c> (<c>finalize_variable_values</c>).
    /// </summary>
    public bool UseEma { get; set; }

    /// <summary>Keras 3's <c>ema_momentum</c> (default 0.99): after each step, average = m·average + (1 − m)·weight.</summary>
    public double EmaMomentum { get; set; } = KerasDefaults.EmaMomentum;
}

/// <summary>Stochastic gradient descent, with optional (Nesterov) momentum. Keras defaults: lr 0.01, momentum 0.</summary>
public sealed class SgdAttribute : OptimizerAttribute
{
    /// <summary>Declares SGD.</summary>
    public SgdAttribute() : base(KerasDefaults.SgdLearningRate) { }

    /// <summary>Momentum β (0 = plain SGD).</summary>
    public double Momentum { get; set; }

    /// <summary>Nesterov accelerated gradient.</summary>
    public bool Nesterov { get; set; }
}

/// <summary>Base of the Adam family (β1, β2, ε).</summary>
public abstract class AdamFamilyAttribute : OptimizerAttribute
{
    private protected AdamFamilyAttribute(double learningRate) : base(learningRate) { }

    /// <summary>Decay of the first moment (default 0.9).</summary>
    public double Beta1 { get; set; } = KerasDefaults.Beta1;

    /// <summary>Decay of the second moment (default 0.999).</summary>
    public double Beta2 { get; set; } = KerasDefaults.Beta2;

    /// <summary>Added to the denominator (default 1e-7, as Keras).</summary>
    public double Epsilon { get; set; } = KerasDefaults.OptimizerEpsilon;
}

/// <summary>Adam. Keras defaults: lr 0.001, β1 0.9, β2 0.999, ε 1e-7.</summary>
public sealed class AdamAttribute : AdamFamilyAttribute
{
    /// <summary>Declares Adam.</summary>
    public AdamAttribute() : base(KerasDefaults.LearningRate) { }
}

/// <summary>AdamW (decoupled weight decay). Keras defaults: lr 0.001, weight decay 0.004.</summary>
public sealed class AdamWAttribute : AdamFamilyAttribute
{
    /// <summary>Declares AdamW.</summary>
    public AdamWAttribute() : base(KerasDefaults.LearningRate) { }

    /// <summary>Decoupled weight decay (default 0.004, as Keras).</summary>
    public double WeightDecay { get; set; } = KerasDefaults.WeightDecay;
}

/// <summary>AdaMax (Adam with the infinity norm). Keras defaults: lr 0.001.</summary>
public sealed class AdaMaxAttribute : AdamFamilyAttribute
{
    /// <summary>Declares AdaMax.</summary>
    public AdaMaxAttribute() : base(KerasDefaults.LearningRate) { }
}

/// <summary>Nadam (Adam with Nesterov momentum and Keras 2's momentum schedule). Keras defaults: lr 0.001, ε 1e-7.</summary>
public sealed class NadamAttribute : AdamFamilyAttribute
{
    /// <summary>Declares Nadam.</summary>
    public NadamAttribute() : base(KerasDefaults.LearningRate) { }
}

/// <summary>RMSProp. Keras defaults: lr 0.001, ρ 0.9, momentum 0, ε 1e-7.</summary>
public sealed class RmsPropAttribute : OptimizerAttribute
{
    /// <summary>Declares RMSProp.</summary>
    public RmsPropAttribute() : base(KerasDefaults.LearningRate) { }

    /// <summary>Decay of the squared-gradient average (default 0.9).</summary>
    public double Rho { get; set; } = KerasDefaults.Rho;

    /// <summary>Momentum (default 0).</summary>
    public double Momentum { get; set; }

    /// <summary>Added to the denominator (default 1e-7).</summary>
    public double Epsilon { get; set; } = KerasDefaults.OptimizerEpsilon;
}

/// <summary>AdaGrad. Keras defaults: lr 0.001, initial accumulator 0.1, ε 1e-7.</summary>
public sealed class AdaGradAttribute : OptimizerAttribute
{
    /// <summary>Declares AdaGrad.</summary>
    public AdaGradAttribute() : base(KerasDefaults.LearningRate) { }

    /// <summary>Starting value of the accumulators (default 0.1).</summary>
    public double InitialAccumulator { get; set; } = KerasDefaults.InitialAccumulator;

    /// <summary>Added to the denominator (default 1e-7).</summary>
    public double Epsilon { get; set; } = KerasDefaults.OptimizerEpsilon;
}

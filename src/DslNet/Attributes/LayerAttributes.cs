namespace DslNet;

/// <summary>Base of every layer attribute. Layer attributes may repeat; their order on the class is the layer order.</summary>
public abstract class LayerAttribute : Attribute
{
}

/// <summary>
/// A normalization layer whose per-feature mean and standard deviation are computed from the training set
/// at the start of <c>Fit</c> (like Keras <c>Normalization.adapt</c>), saved with the weights and applied at inference.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class StandardizeAttribute : LayerAttribute
{
}

/// <summary>Flattens all dimensions but the batch dimension.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class FlattenAttribute : LayerAttribute
{
}

/// <summary>A fully connected layer (flattens a multi-dimensional input first).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DenseAttribute : LayerAttribute
{
    /// <summary>Declares a dense layer with the given number of units.</summary>
    public DenseAttribute(int units) => Units = units;

    /// <summary>The number of units (outputs).</summary>
    public int Units { get; }

    /// <summary>How many identical layers this attribute declares (default 1).</summary>
    public int Repeat { get; set; } = 1;

    /// <summary>The activation (default linear).</summary>
    public Act Act { get; set; } = Act.Linear;

    /// <summary>The kernel initializer (default: chosen from the activation).</summary>
    public Init Init { get; set; } = Init.Auto;

    /// <summary>The value of every weight when <see cref="Init"/> is <see cref="DslNet.Init.Constant"/>.</summary>
    public double InitValue { get; set; }

    /// <summary>Whether the layer has a bias (default true; a batch-normalized layer needs none).</summary>
    public bool UseBias { get; set; } = true;

    /// <summary>Dense → BatchNorm → activation (the book's batch norm before the activation).</summary>
    public bool BatchNorm { get; set; }

    /// <summary>The ε of the batch norm that <see cref="BatchNorm"/> adds (Keras' 1e-3).</summary>
    public double BatchNormEpsilon { get; set; } = KerasDefaults.BatchNormEpsilon;

    /// <summary>The momentum of the batch norm that <see cref="BatchNorm"/> adds, in Keras' meaning (0.99).</summary>
    public double BatchNormMomentum { get; set; } = KerasDefaults.BatchNormMomentum;

    /// <summary>Whether the batch norm that <see cref="BatchNorm"/> adds learns a scale γ (Keras' <c>scale</c>, default true); false keeps γ = 1.</summary>
    public bool BatchNormScale { get; set; } = true;

    /// <summary>ℓ1 penalty factor on the kernel, in Keras' meaning (adds L1·Σ|w| to the loss).</summary>
    public double L1 { get; set; }

    /// <summary>ℓ2 penalty factor on the kernel, in Keras' meaning (adds L2·Σw² to the loss).</summary>
    public double L2 { get; set; }

    /// <summary>Max-norm constraint on each unit's incoming weights, applied after every step (0 = off).</summary>
    public double MaxNorm { get; set; }

    /// <summary>The LeakyReLU slope (default 0.3, as Keras) or ELU alpha (default 1).</summary>
    public double Alpha { get; set; } = double.NaN;

    /// <summary>False: the layer starts frozen (Keras' <c>layer.trainable = False</c>); <c>Unfreeze(name)</c> thaws it.</summary>
    public bool Trainable { get; set; } = true;
}

/// <summary>Batch normalization (Keras meaning of momentum and epsilon).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class BatchNormAttribute : LayerAttribute
{
    /// <summary>Moving-average momentum in Keras' meaning: moving = moving·momentum + batch·(1 − momentum). Default 0.99.</summary>
    public double Momentum { get; set; } = KerasDefaults.BatchNormMomentum;

    /// <summary>Added to the variance (default 1e-3, as Keras).</summary>
    public double Epsilon { get; set; } = KerasDefaults.BatchNormEpsilon;

    /// <summary>False: the layer starts frozen and, as in Keras, runs in inference mode (its moving statistics stay put).</summary>
    public bool Trainable { get; set; } = true;
}

/// <summary>A standalone activation layer.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ActivationAttribute : LayerAttribute
{
    /// <summary>Declares the activation layer.</summary>
    public ActivationAttribute(Act act) => Act = act;

    /// <summary>The activation.</summary>
    public Act Act { get; }

    /// <summary>The LeakyReLU slope or ELU alpha (NaN = the default).</summary>
    public double Alpha { get; set; } = double.NaN;
}

/// <summary>Plain dropout: zeroes a fraction <c>rate</c> of inputs during training, scaling the rest by 1/(1 − rate).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DropoutAttribute : LayerAttribute
{
    /// <summary>Declares dropout with the given rate in [0, 1).</summary>
    public DropoutAttribute(double rate) => Rate = rate;

    /// <summary>The fraction of inputs dropped.</summary>
    public double Rate { get; }
}

/// <summary>Alpha dropout: keeps the mean and variance of SELU activations.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AlphaDropoutAttribute : LayerAttribute
{
    /// <summary>Declares alpha dropout with the given rate in [0, 1).</summary>
    public AlphaDropoutAttribute(double rate) => Rate = rate;

    /// <summary>The fraction of inputs dropped.</summary>
    public double Rate { get; }
}

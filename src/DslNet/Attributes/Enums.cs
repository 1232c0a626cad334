namespace DslNet;

/// <summary>An activation function.</summary>
public enum Act
{
    /// <summary>No activation (identity).</summary>
    Linear,
    /// <summary>max(0, x).</summary>
    ReLU,
    /// <summary>x for x &gt; 0, else <c>Alpha</c>·x (Keras' default slope 0.3 when <c>Alpha</c> is not set).</summary>
    LeakyReLU,
    /// <summary>Leaky ReLU whose slope is learned per unit (Keras PReLU: initial slope 0).</summary>
    PReLU,
    /// <summary>x for x &gt; 0, else <c>Alpha</c>·(eˣ − 1) (alpha 1 by default).</summary>
    ELU,
    /// <summary>Scaled ELU: self-normalizing with LeCun normal init and standardized inputs.</summary>
    SELU,
    /// <summary>Gaussian error linear unit (exact, erf form).</summary>
    GELU,
    /// <summary>x·σ(x), also called SiLU.</summary>
    Swish,
    /// <summary>x·σ(βx) with one learnable β per layer, starting at 1.</summary>
    ParametricSwish,
    /// <summary>x·tanh(softplus(x)).</summary>
    Mish,
    /// <summary>Hyperbolic tangent.</summary>
    Tanh,
    /// <summary>Logistic sigmoid.</summary>
    Sigmoid,
    /// <summary>log(1 + eˣ).</summary>
    Softplus,
    /// <summary>Normalized exponential over the last dimension.</summary>
    Softmax,
}

/// <summary>A kernel (weight) initializer. Biases always start at zero.</summary>
public enum Init
{
    /// <summary>He normal for the ReLU family, Swish, GELU and Mish; LeCun normal for SELU; Glorot uniform otherwise.</summary>
    Auto,
    /// <summary>Keras <c>he_normal</c>: truncated normal, std sqrt(2 / fan_in).</summary>
    He,
    /// <summary>Keras <c>he_uniform</c>: U(±sqrt(6 / fan_in)).</summary>
    HeUniform,
    /// <summary>Keras <c>lecun_normal</c>: truncated normal, std sqrt(1 / fan_in).</summary>
    LeCun,
    /// <summary>Keras <c>lecun_uniform</c>: U(±sqrt(3 / fan_in)).</summary>
    LeCunUniform,
    /// <summary>Keras <c>glorot_uniform</c> (the Keras default): U(±sqrt(6 / (fan_in + fan_out))).</summary>
    Glorot,
    /// <summary>Keras <c>glorot_normal</c>: truncated normal, std sqrt(2 / (fan_in + fan_out)).</summary>
    GlorotNormal,
    /// <summary>All weights zero.</summary>
    Zeros,
    /// <summary>All weights equal to <c>InitValue</c>.</summary>
    Constant,
    /// <summary>
    /// The identity, torch's <c>dirac_</c>: a convolution whose output channel i copies input channel i (a 1 at the kernel's
    /// centre, index k / 2), a dense layer whose unit i copies input i; only the first min(in, out) channels pass, the rest start at zero.
    /// </summary>
    Dirac,
}

/// <summary>The quantity early stopping and plateau schedules watch.</summary>
public enum Monitored
{
    /// <summary>Validation loss (lower is better).</summary>
    ValLoss,
    /// <summary>Validation accuracy (higher is better).</summary>
    ValAccuracy,
}

/// <summary>A training loss.</summary>
public enum LossKind
{
    /// <summary>Infer from the output layer: Softmax → sparse categorical cross-entropy; one Sigmoid unit → binary cross-entropy; otherwise mean squared error.</summary>
    Auto,
    /// <summary>Cross-entropy on integer class labels (int64), computed from the logits.</summary>
    SparseCategoricalCrossEntropy,
    /// <summary>Binary cross-entropy on 0/1 labels, computed from the logit of one sigmoid unit.</summary>
    BinaryCrossEntropy,
    /// <summary>Mean squared error.</summary>
    MeanSquaredError,
    /// <summary>Mean absolute error.</summary>
    MeanAbsoluteError,
    /// <summary>Huber loss (delta 1).</summary>
    Huber,
}

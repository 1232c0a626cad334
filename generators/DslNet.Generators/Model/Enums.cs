namespace DslNet.Generators.Model;

// Mirrors of the runtime enums (src/DslNet/Attributes/Enums.cs): same names, same values.
// The generator reads attribute arguments as integers and must not reference the runtime assembly.

internal enum Act
{
    Linear,
    ReLU,
    LeakyReLU,
    PReLU,
    ELU,
    SELU,
    GELU,
    Swish,
    ParametricSwish,
    Mish,
    Tanh,
    Sigmoid,
    Softplus,
    Softmax,
}

internal enum Init
{
    Auto,
    He,
    HeUniform,
    LeCun,
    LeCunUniform,
    Glorot,
    GlorotNormal,
    Zeros,
    Constant,
    Dirac,
}

internal enum Monitored
{
    ValLoss,
    ValAccuracy,
}

internal enum LossKind
{
    Auto,
    SparseCategoricalCrossEntropy,
    BinaryCrossEntropy,
    MeanSquaredError,
    MeanAbsoluteError,
    Huber,
}

internal enum Padding
{
    Valid,
    Same,
    Symmetric,
}

internal enum Projection
{
    Auto,
    None,
}

internal enum OptimizerKind
{
    RmsProp,
    Sgd,
    Adam,
    AdamW,
    AdaMax,
    Nadam,
    AdaGrad,
}

internal enum ScheduleKind
{
    OneCycle,
    ExponentialDecay,
    PowerDecay,
    PiecewiseConstant,
    ReduceOnPlateau,
}

/// <summary>How the last activation maps logits to outputs.</summary>
internal enum OutputKind
{
    Softmax,
    Sigmoid,
    Linear,
}

namespace DslNet;

// This file is compiled into the runtime and, linked, into the generator (which must not reference the runtime):
// the attributes initialize their properties from it, and the generator reads an omitted argument as the same value.

/// <summary>
/// The default of every DslNet attribute argument that has one, in one place: Keras' default where Keras has one
/// (optimizers, batch normalization, callbacks, activations), else DslNet's (the seed).
/// </summary>
internal static class KerasDefaults
{
    /// <summary>The seed of weight initialization, shuffling and dropout (<c>[Model(Seed)]</c>).</summary>
    public const int Seed = 42;

    /// <summary><c>fit</c>'s epochs (<c>[Train(Epochs)]</c>).</summary>
    public const int Epochs = 100;

    /// <summary><c>fit</c>'s batch size (<c>[Train(BatchSize)]</c>).</summary>
    public const int BatchSize = 32;

    /// <summary><c>fit</c>'s shuffling (<c>[Train(Shuffle)]</c>).</summary>
    public const bool Shuffle = true;

    /// <summary>SGD's learning rate.</summary>
    public const double SgdLearningRate = 0.01;

    /// <summary>The learning rate of every other optimizer (Adam family, RMSprop, AdaGrad).</summary>
    public const double LearningRate = 0.001;

    /// <summary>The Adam family's first-moment decay.</summary>
    public const double Beta1 = 0.9;

    /// <summary>The Adam family's second-moment decay.</summary>
    public const double Beta2 = 0.999;

    /// <summary>The optimizers' ε (Keras' 1e-7, not torch's 1e-8).</summary>
    public const double OptimizerEpsilon = 1e-7;

    /// <summary>RMSprop's decay of the squared-gradient average.</summary>
    public const double Rho = 0.9;

    /// <summary>AdamW's decoupled weight decay.</summary>
    public const double WeightDecay = 0.004;

    /// <summary>AdaGrad's starting accumulator.</summary>
    public const double InitialAccumulator = 0.1;

    /// <summary>Batch normalization's moving-average momentum, in Keras' meaning (the fraction the moving average keeps).</summary>
    public const double BatchNormMomentum = 0.99;

    /// <summary>Keras 3's <c>ema_momentum</c> of an optimizer with <c>use_ema</c>.</summary>
    public const double EmaMomentum = 0.99;

    /// <summary>Batch normalization's ε.</summary>
    public const double BatchNormEpsilon = 1e-3;

    /// <summary>Early stopping's patience in epochs.</summary>
    public const int EarlyStoppingPatience = 10;

    /// <summary>Whether early stopping puts back the best epoch's weights.</summary>
    public const bool RestoreBestWeights = true;

    /// <summary>Exponential and power decay's steps.</summary>
    public const int DecaySteps = 10_000;

    /// <summary>Power decay's exponent.</summary>
    public const double DecayPower = 1;

    /// <summary>Performance scheduling's factor.</summary>
    public const double PlateauFactor = 0.5;

    /// <summary>Performance scheduling's patience in epochs.</summary>
    public const int PlateauPatience = 5;

    /// <summary>LeakyReLU's slope (Keras' 0.3, not torch's 0.01).</summary>
    public const double LeakyReLUAlpha = 0.3;

    /// <summary>ELU's α.</summary>
    public const double EluAlpha = 1.0;
}

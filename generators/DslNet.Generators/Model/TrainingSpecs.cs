using DslNet.Generators.Helpers;

namespace DslNet.Generators.Model;

/// <summary>The declared optimizer with Keras' defaults filled in.</summary>
internal sealed record OptimizerSpec(OptimizerKind Kind, double LearningRate)
{
    /// <summary>Attribute index of the declaration; -1 when none was declared (Keras' default RMSprop).</summary>
    public int DeclarationIndex { get; init; } = -1;

    public double ClipNorm { get; init; }

    public double ClipValue { get; init; }

    public double Momentum { get; init; }

    public bool Nesterov { get; init; }

    public double Beta1 { get; init; } = KerasDefaults.Beta1;

    public double Beta2 { get; init; } = KerasDefaults.Beta2;

    public double Epsilon { get; init; } = KerasDefaults.OptimizerEpsilon;

    public double Rho { get; init; } = KerasDefaults.Rho;

    public double WeightDecay { get; init; } = KerasDefaults.WeightDecay;

    public double InitialAccumulator { get; init; } = KerasDefaults.InitialAccumulator;

    public bool UseEma { get; init; }

    public double EmaMomentum { get; init; } = KerasDefaults.EmaMomentum;
}

/// <summary>The declared learning-rate schedule.</summary>
internal sealed record ScheduleSpec(ScheduleKind Kind, int DeclarationIndex)
{
    public double MaxRate { get; init; }

    public double StartRate { get; init; }

    public double LastRate { get; init; }

    public int LastIterations { get; init; }

    public int Steps { get; init; } = KerasDefaults.DecaySteps;

    public double Power { get; init; } = KerasDefaults.DecayPower;

    public EquatableArray<int> Boundaries { get; init; } = EquatableArray<int>.Empty;

    public EquatableArray<double> Rates { get; init; } = EquatableArray<double>.Empty;

    public Monitored Monitor { get; init; }

    public double Factor { get; init; } = KerasDefaults.PlateauFactor;

    public int Patience { get; init; } = KerasDefaults.PlateauPatience;

    public double MinRate { get; init; }
}

/// <summary>Early stopping, when declared.</summary>
internal sealed record EarlyStoppingSpec(Monitored Monitor, int Patience, double MinDelta, bool RestoreBestWeights, int DeclarationIndex);

/// <summary>Epochs, batch size and shuffling (Keras' fit defaults unless declared).</summary>
internal sealed record TrainSpec(int Epochs, int BatchSize, bool Shuffle, int DeclarationIndex);

/// <summary>[TestTimeAugmentation]: the copies Predict, Evaluate and validation average over (runtime only; not in the exported graphs).</summary>
internal sealed record TestTimeAugmentationSpec(bool Flip, int Translate, int DeclarationIndex);

namespace DslNet;

/// <summary>Run-time overrides of a model's declared training settings. Unset values keep the declaration's.</summary>
public sealed record FitOptions
{
    /// <summary>The maximum number of epochs (overrides <c>[Train(Epochs)]</c>).</summary>
    public int? Epochs { get; init; }

    /// <summary>The mini-batch size (overrides <c>[Train(BatchSize)]</c>).</summary>
    public int? BatchSize { get; init; }

    /// <summary>The starting learning rate (overrides the optimizer's declared <c>LearningRate</c>; schedules start from it too).</summary>
    public double? LearningRate { get; init; }

    /// <summary>Show Keras-like progress (default true). Off = quiet.</summary>
    public bool Progress { get; init; } = true;

    /// <summary>Where to write the history CSV, learning curves and the best-model checkpoint; null = nowhere.</summary>
    public string? LogDirectory { get; init; }

    /// <summary>The seed of shuffling and dropout (overrides <c>[Model(Seed)]</c>).</summary>
    public int? Seed { get; init; }

    /// <summary>Where progress goes (default: the console).</summary>
    public TextWriter? Output { get; init; }
}

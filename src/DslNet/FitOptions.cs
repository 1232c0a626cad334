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

    /// <summary>
    /// Where to write TensorBoard event files (per-epoch loss, accuracy, validation loss and accuracy, learning rate; and
    /// the learning-rate finder's curve), in <c>train/</c>, <c>validation/</c> and <c>lr_finder/</c> as Keras' callback
    /// lays them out; null = none. View with <c>tensorboard --logdir DIR</c>.
    /// </summary>
    public string? TensorBoardDirectory { get; init; }

    /// <summary>The seed of shuffling and dropout (overrides <c>[Model(Seed)]</c>).</summary>
    public int? Seed { get; init; }

    /// <summary>
    /// The number of intra-op threads training runs with (<c>torch.set_num_threads</c> for the duration of <c>Fit</c>, the
    /// previous count restored afterwards). Null = automatic: one thread when a step's work (batch size × parameters) is
    /// small, where splitting each small matrix product costs more than it saves, else torch's current thread count (every
    /// core, unless the application lowered it with <c>torch.set_num_threads</c>). The count used is in <see cref="History.Threads"/>.
    /// </summary>
    public int? Threads { get; init; }

    /// <summary>Where progress goes (default: the console).</summary>
    public TextWriter? Output { get; init; }
}

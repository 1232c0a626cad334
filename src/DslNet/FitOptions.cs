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

    /// <summary>
    /// The number of intra-op threads training runs with (<c>torch.set_num_threads</c> for the duration of <c>Fit</c>, the
    /// previous count restored afterwards), per replica (see <see cref="Replicas"/>). Null = automatic: at the start of
    /// <c>Fit</c> a few real training steps are timed at candidate thread counts (and replica counts) up to torch's current
    /// thread count, on a snapshot that is put back exactly (the run is the same as with the chosen counts set here), and
    /// the fastest is kept; the choice is cached per process, model type, size and batch size. Setting it (without
    /// <see cref="Replicas"/>) trains on one replica. The count used is in <see cref="History.Threads"/>.
    /// </summary>
    public int? Threads { get; init; }

    /// <summary>
    /// The number of data-parallel replicas: each takes a contiguous part of every batch on its own thread, and their
    /// gradients are summed in a fixed order before one optimizer step (the same step as on the whole batch, up to float
    /// rounding). Only for models without batch norm or dropout and with every parameter trained; others train on one.
    /// Null = automatic (see <see cref="Threads"/>); with <see cref="Threads"/> set, one. The count used is in <see cref="History.Replicas"/>.
    /// </summary>
    public int? Replicas { get; init; }

    /// <summary>Where progress goes (default: the console).</summary>
    public TextWriter? Output { get; init; }
}

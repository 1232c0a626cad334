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

    /// <summary>
    /// Keras' <c>BackupAndRestore</c>: a folder where the whole training state (weights, optimizer state, learning rate and
    /// schedule state, early-stopping state and best weights, the history so far, the shuffling and dropout generators, the
    /// thread count) is written atomically at the end of every epoch (and every <see cref="BackupEverySteps"/> steps when set).
    /// A <c>Fit</c> with the same folder after a crash or a kill resumes from the last backup and ends exactly as an
    /// uninterrupted run would. A backup of another model, or made with other settings or data, is one clear error. The
    /// backup is removed when <c>Fit</c> completes. Null = no backup.
    /// </summary>
    public string? BackupDirectory { get; init; }

    /// <summary>Also back up every this many training steps (batches) within an epoch; null = only at epoch ends. Needs <see cref="BackupDirectory"/>.</summary>
    public int? BackupEverySteps { get; init; }

    /// <summary>
    /// Keras' <c>validation_split</c>: the fraction (between 0 and 1, exclusive) of <c>train</c> held out for validation —
    /// the last samples, taken before any shuffling (the last <c>N − ceil(N × (1 − split))</c>), exactly as Keras slices.
    /// Null = no split. Cannot be combined with a <c>validation</c> set.
    /// </summary>
    public double? ValidationSplit { get; init; }

    /// <summary>
    /// Keras' <c>class_weight</c> (classifiers only): the weight of each class index in the training loss, which becomes
    /// the mean over the batch of weight(label) × the sample's loss; classes not listed weigh 1. Binary labels are rounded
    /// to 0/1 to find their class. Validation metrics are not weighted. Weights must be finite and ≥ 0. Null = all 1.
    /// With sample weights (<c>new Dataset(features, labels, weights)</c>) a sample's weight is the product of the two, as in tf.keras.
    /// </summary>
    public IReadOnlyDictionary<int, double>? ClassWeights { get; init; }

    /// <summary>
    /// Called after each epoch (after early stopping and the schedule have seen it) with the epoch's row; return true to
    /// stop training there (Keras' <c>model.stop_training = True</c> in <c>on_epoch_end</c>). <see cref="History.StopReason"/>
    /// then says so, and early stopping's best weights are restored as at any other end of training.
    /// </summary>
    public Func<EpochRow, bool>? OnEpochEnd { get; init; }

    /// <summary>
    /// Your own <see cref="TrainingCallback"/>s (Keras' <c>callbacks=[…]</c>), called in this order after DslNet's progress,
    /// best-weight, schedule and <see cref="OnEpochEnd"/> callbacks and before the backup; null = none.
    /// </summary>
    public IReadOnlyList<TrainingCallback>? Callbacks { get; init; }

    /// <summary>
    /// Whether subnormal floats are flushed to zero while training (flush-to-zero and denormals-are-zero on every thread
    /// torch computes on, as TensorFlow does on CPUs): they are below 1.2e-38, far below what changes a float32 weight, and
    /// each costs a slow path in every operation that meets it. null = <see cref="Subnormals.Flush"/> (on).
    /// </summary>
    public bool? FlushSubnormals { get; init; }
}

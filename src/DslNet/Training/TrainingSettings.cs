namespace DslNet.Training;

/// <summary>
/// The training settings of one run: the model's declaration (<c>[Train]</c>, <c>[Model(Seed)]</c>) overridden by the caller's
/// <see cref="FitOptions"/> through <see cref="With"/>.
/// </summary>
/// <param name="Name">The model's name (log file names, messages).</param>
/// <param name="Epochs">The maximum number of epochs.</param>
/// <param name="BatchSize">The mini-batch size.</param>
/// <param name="Shuffle">Whether the training set is reshuffled at every epoch.</param>
/// <param name="Seed">The seed of shuffling and dropout.</param>
public sealed record TrainingSettings(string Name, int Epochs, int BatchSize, bool Shuffle, int Seed)
{
    /// <summary>Whether Keras-like progress is written.</summary>
    public bool Progress { get; init; } = true;

    /// <summary>Where the history CSV, learning curves and best-model checkpoint go; null = nowhere.</summary>
    public string? LogDirectory { get; init; }

    /// <summary>Where TensorBoard event files go (see <see cref="FitOptions.TensorBoardDirectory"/>); null = none.</summary>
    public string? TensorBoardDirectory { get; init; }

    /// <summary>The number of intra-op threads training runs with; null = automatic (see <see cref="FitOptions.Threads"/>).</summary>
    public int? Threads { get; init; }

    /// <summary>The number of data-parallel replicas; null = automatic (see <see cref="FitOptions.Replicas"/>).</summary>
    public int? Replicas { get; init; }

    /// <summary>Where progress goes; null = the console.</summary>
    public TextWriter? Output { get; init; }

    /// <summary>Where training backs itself up to resume after a crash; null = no backup (see <see cref="FitOptions.BackupDirectory"/>).</summary>
    public string? BackupDirectory { get; init; }

    /// <summary>Back up every this many steps as well as at epoch ends; null = at epoch ends only.</summary>
    public int? BackupEverySteps { get; init; }

    /// <summary>The fraction of the training set held out for validation (see <see cref="FitOptions.ValidationSplit"/>); null = none.</summary>
    public double? ValidationSplit { get; init; }

    /// <summary>The weight of each class in the training loss (see <see cref="FitOptions.ClassWeights"/>); null = all 1.</summary>
    public IReadOnlyDictionary<int, double>? ClassWeights { get; init; }

    /// <summary>The per-epoch hook (see <see cref="FitOptions.OnEpochEnd"/>); null = none.</summary>
    public Func<EpochRow, bool>? OnEpochEnd { get; init; }

    /// <summary>Writes a module's weights to a (temporary) path; null = <c>module.save</c>. A seam for tests of failed writes.</summary>
    internal Action<TorchSharp.torch.nn.Module, string>? WeightsWriter { get; init; }

    /// <summary>These settings with every value that <paramref name="options"/> sets replacing the declared one.</summary>
    public TrainingSettings With(FitOptions? options)
    {
        if (options is null)
        {
            return this;
        }

        if (options.LearningRate is { } rate && !(rate > 0 && double.IsFinite(rate)))
        {
            throw new ArgumentOutOfRangeException(nameof(options), rate,
                $"{Name}: FitOptions.LearningRate must be a positive, finite number, but it is {rate.ToString(System.Globalization.CultureInfo.InvariantCulture)}. " +
                "Leave it null to train with the declared learning rate.");
        }

        return this with
        {
            Epochs = options.Epochs ?? Epochs,
            BatchSize = options.BatchSize ?? BatchSize,
            Seed = options.Seed ?? Seed,
            Progress = options.Progress,
            LogDirectory = options.LogDirectory ?? LogDirectory,
            TensorBoardDirectory = options.TensorBoardDirectory ?? TensorBoardDirectory,
            Output = options.Output ?? Output,
            Threads = options.Threads ?? Threads,
            BackupDirectory = options.BackupDirectory ?? BackupDirectory,
            BackupEverySteps = options.BackupEverySteps ?? BackupEverySteps,

            ValidationSplit = options.ValidationSplit ?? ValidationSplit,
            ClassWeights = options.ClassWeights ?? ClassWeights,
            OnEpochEnd = options.OnEpochEnd ?? OnEpochEnd,
            Replicas = options.Replicas ?? Replicas,
        };
    }

    /// <summary>The number of batches per epoch for <paramref name="samples"/> training samples: ceil(samples / BatchSize).</summary>
    public int StepsPerEpoch(int samples)
    {
        Validate();
        ArgumentOutOfRangeException.ThrowIfNegative(samples);
        samples = TrainingSamples(samples);
        return (samples + BatchSize - 1) / BatchSize;
    }

    /// <summary>How many of <paramref name="samples"/> are trained on: all, or those before the <see cref="ValidationSplit"/> (Keras: ceil(N × (1 − split))).</summary>
    internal int TrainingSamples(int samples) => ValidationSplit is { } split ? (int)Math.Ceiling(samples * (1 - split)) : samples;

    /// <summary>Throws one clear error when a setting is out of range.</summary>
    internal void Validate()
    {
        if (Epochs < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, $"{Name}: the number of epochs must be at least 1; set FitOptions.Epochs or [Train(Epochs = …)] to a positive value.");
        }

        if (BatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, $"{Name}: the batch size must be at least 1; set FitOptions.BatchSize or [Train(BatchSize = …)] to a positive value.");
        }

        if (BackupEverySteps < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(BackupEverySteps), BackupEverySteps, $"{Name}: FitOptions.BackupEverySteps must be at least 1 step; leave it null to back up at epoch ends only.");
        }

        if (BackupEverySteps is not null && BackupDirectory is null)
        {
            throw new ArgumentException($"{Name}: FitOptions.BackupEverySteps needs FitOptions.BackupDirectory, the folder to back up to.", nameof(BackupEverySteps));
        }

        if (ValidationSplit is { } split && !(split > 0 && split < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ValidationSplit), split,
                $"{Name}: FitOptions.ValidationSplit is the fraction of the training set held out for validation, so it must be between 0 and 1 (exclusive); " +
                $"it is {split.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        }

        foreach (var (key, weight) in ClassWeights ?? new Dictionary<int, double>())
        {
            if (key < 0 || !(weight >= 0) || double.IsInfinity(weight))
            {
                throw new ArgumentOutOfRangeException(nameof(ClassWeights),
                    $"{Name}: FitOptions.ClassWeights gives class {key} the weight {weight.ToString(System.Globalization.CultureInfo.InvariantCulture)}; " +
                    "classes are indices ≥ 0 and weights are finite numbers ≥ 0.");
            }
        }

        if (Threads < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Threads), Threads, $"{Name}: the number of training threads must be at least 1; set FitOptions.Threads to a positive value, or leave it null to choose automatically.");
        }

        if (Replicas < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Replicas), Replicas, $"{Name}: the number of replicas must be at least 1; set FitOptions.Replicas to a positive value, or leave it null to choose automatically.");
        }
    }
}

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
    /// <summary>
    /// The caller's options for this run (progress, logs, threads, backups, validation split, class weights, callbacks…),
    /// as <see cref="FitOptions"/> declares them: one declaration, read where they are used. Their <c>Epochs</c>,
    /// <c>BatchSize</c> and <c>Seed</c> are already resolved into this record's own.
    /// </summary>
    public FitOptions Options { get; init; } = new();

    /// <summary>Keras 3's <c>ema_momentum</c> when the declared optimizer has <c>UseEma</c>; null = no moving average of the weights.</summary>
    internal double? EmaMomentum { get; init; }

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
            Options = options,
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

    /// <summary>How many of <paramref name="samples"/> are trained on: all, or those before the <see cref="FitOptions.ValidationSplit"/> (Keras: ceil(N × (1 − split))).</summary>
    internal int TrainingSamples(int samples) => Options.ValidationSplit is { } split ? (int)Math.Ceiling(samples * (1 - split)) : samples;

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

        if (Options.BackupEverySteps < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(FitOptions.BackupEverySteps), Options.BackupEverySteps, $"{Name}: FitOptions.BackupEverySteps must be at least 1 step; leave it null to back up at epoch ends only.");
        }

        if (Options.BackupEverySteps is not null && Options.BackupDirectory is null)
        {
            throw new ArgumentException($"{Name}: FitOptions.BackupEverySteps needs FitOptions.BackupDirectory, the folder to back up to.", nameof(FitOptions.BackupEverySteps));
        }

        if (Options.ValidationSplit is { } split && !(split > 0 && split < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(FitOptions.ValidationSplit), split,
                $"{Name}: FitOptions.ValidationSplit is the fraction of the training set held out for validation, so it must be between 0 and 1 (exclusive); " +
                $"it is {split.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        }

        foreach (var (key, weight) in Options.ClassWeights ?? new Dictionary<int, double>())
        {
            if (key < 0 || !(weight >= 0) || double.IsInfinity(weight))
            {
                throw new ArgumentOutOfRangeException(nameof(FitOptions.ClassWeights),
                    $"{Name}: FitOptions.ClassWeights gives class {key} the weight {weight.ToString(System.Globalization.CultureInfo.InvariantCulture)}; " +
                    "classes are indices ≥ 0 and weights are finite numbers ≥ 0.");
            }
        }

        if (Options.Threads < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(FitOptions.Threads), Options.Threads, $"{Name}: the number of training threads must be at least 1; set FitOptions.Threads to a positive value, or leave it null to choose automatically.");
        }

        if (Options.Replicas < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(FitOptions.Replicas), Options.Replicas, $"{Name}: the number of replicas must be at least 1; set FitOptions.Replicas to a positive value, or leave it null to choose automatically.");
        }
    }
}

namespace DslNet.Training;

/// <summary>
/// The training settings of one run: the model's declaration (<c>[Train]</c>, <c>[Model(Seed)]</c>) overridden by the caller's
/// <see cref="FitOptions"/> through <see cref="With"/>.
/// </summary>
/// <param name="ModelName">The model's name (log file names, messages).</param>
/// <param name="Epochs">The maximum number of epochs.</param>
/// <param name="BatchSize">The mini-batch size.</param>
/// <param name="Shuffle">Whether the training set is reshuffled at every epoch.</param>
/// <param name="Seed">The seed of shuffling and dropout.</param>
public sealed record TrainingSettings(string ModelName, int Epochs, int BatchSize, bool Shuffle, int Seed)
{
    /// <summary>Whether Keras-like progress is written.</summary>
    public bool Progress { get; init; } = true;

    /// <summary>Where the history CSV, learning curves and best-model checkpoint go; null = nowhere.</summary>
    public string? LogDirectory { get; init; }

    /// <summary>Where TensorBoard event files go (see <see cref="FitOptions.TensorBoardDirectory"/>); null = none.</summary>
    public string? TensorBoardDirectory { get; init; }

    /// <summary>The number of intra-op threads training runs with; null = automatic (see <see cref="FitOptions.Threads"/>).</summary>
    public int? Threads { get; init; }

    /// <summary>Where progress goes; null = the console.</summary>
    public TextWriter? Output { get; init; }

    /// <summary>Writes a module's weights to a (temporary) path; null = <c>module.save</c>. A seam for tests of failed writes.</summary>
    internal Action<TorchSharp.torch.nn.Module, string>? WeightsWriter { get; init; }

    /// <summary>These settings with every value that <paramref name="options"/> sets replacing the declared one.</summary>
    public TrainingSettings With(FitOptions? options)
    {
        if (options is null)
        {
            return this;
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
        };
    }

    /// <summary>The number of batches per epoch for <paramref name="samples"/> training samples: ceil(samples / BatchSize).</summary>
    public int StepsPerEpoch(int samples)
    {
        Validate();
        ArgumentOutOfRangeException.ThrowIfNegative(samples);
        return (samples + BatchSize - 1) / BatchSize;
    }

    /// <summary>Throws one clear error when a setting is out of range.</summary>
    internal void Validate()
    {
        if (Epochs < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, $"{ModelName}: the number of epochs must be at least 1; set FitOptions.Epochs or [Train(Epochs = …)] to a positive value.");
        }

        if (BatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, $"{ModelName}: the batch size must be at least 1; set FitOptions.BatchSize or [Train(BatchSize = …)] to a positive value.");
        }

        if (Threads < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Threads), Threads, $"{ModelName}: the number of training threads must be at least 1; set FitOptions.Threads to a positive value, or leave it null to choose automatically.");
        }
    }
}

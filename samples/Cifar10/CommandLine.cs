using System.Globalization;

namespace DslNet.Samples.Cifar10;

/// <summary>What one invocation of the sample asks for.</summary>
public sealed record ExerciseOptions
{
    public static readonly IReadOnlyList<string> Parts = ["b", "c", "d", "e", "f", "lr-search", "all", "report"];

    public required string Part { get; init; }

    /// <summary>The folder holding <c>cifar-10-batches-bin/</c>; null = $DSLNET_DATA, then the cache.</summary>
    public string? DataDir { get; init; }

    public string OutputDir { get; init; } = Path.Combine("samples", "Cifar10", "results");

    /// <summary>Overrides the declared number of epochs (for quick looks; the book's runs use the declaration).</summary>
    public int? Epochs { get; init; }

    /// <summary>Train on the first N training images only (for smoke runs).</summary>
    public int? TrainSize { get; init; }

    /// <summary>Torch intra-op threads; null = Fit's automatic choice (one thread for these small layers, see BENCHMARKS.md).</summary>
    public int? Threads { get; init; }

    public bool Progress { get; init; } = true;

    /// <summary>Where training backs itself up (FitOptions.BackupDirectory), so a killed run resumes when started again; null = no backup.</summary>
    public string? BackupDir { get; init; }

    /// <summary>Learning rates of the lr-search grid (the book's, for part b).</summary>
    public IReadOnlyList<double> Rates { get; init; } = [1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2];
}

/// <summary>Parses <c>&lt;part&gt; [--data DIR] [--out DIR] [--epochs N] [--train-size N] [--threads N] [--rates r1,r2,…] [--backup DIR] [--quiet]</c>.</summary>
public static class CommandLine
{
    public const string Usage = """
        usage: dotnet run -c Release --project samples/Cifar10 -- <part> [options]

        parts:
          b          20 × Dense(100, He, Swish), Nadam 5e-5, early stopping (raw pixels)
          c          part b with batch normalization before every activation, Nadam 5e-4
          d          SELU + LeCun normal on standardized inputs, Nadam 7e-4
          e          part d with AlphaDropout(0.1), Nadam 5e-4, then MC dropout (10 samples)
          f          part e with SGD + 1cycle (max rate 0.05), 15 epochs, batch 128; LR finder first
          lr-search  the book's learning-rate grid for part b: 1e-5 … 1e-2, 10 epochs per rate
          all        b, c, d, e and f in turn
          report     rewrite the table in samples/Cifar10/RESULTS.md from the results folder

        options:
          --data DIR        folder that holds cifar-10-batches-bin/ (default: $DSLNET_DATA, then the cache folder)
          --out DIR         where histories, curves and results go (default: samples/Cifar10/results)
          --epochs N        override the declared number of epochs
          --train-size N    train on the first N of the 45,000 training images
          --threads N       torch intra-op threads (default: automatic, one thread for these networks)
          --rates R1,R2,…   learning rates for lr-search
          --backup DIR      back training up to DIR; run the same command again after a crash or kill to resume
          --quiet           no progress bars
        """;

    /// <summary>The options, or an error message that names the problem.</summary>
    public static (ExerciseOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0)
        {
            return (null, "missing <part>.");
        }

        if (!ExerciseOptions.Parts.Contains(args[0]))
        {
            return (null, $"unknown part '{args[0]}'; expected one of {string.Join(", ", ExerciseOptions.Parts)}.");
        }

        var options = new ExerciseOptions { Part = args[0] };
        for (var i = 1; i < args.Count; i++)
        {
            var name = args[i];
            if (name == "--quiet")
            {
                options = options with { Progress = false };
                continue;
            }

            if (i + 1 >= args.Count)
            {
                return (null, $"option {name} needs a value.");
            }

            var value = args[++i];
            switch (name)
            {
                case "--data":
                    options = options with { DataDir = value };
                    break;
                case "--out":
                    options = options with { OutputDir = value };
                    break;
                case "--backup":
                    options = options with { BackupDir = value };
                    break;
                case "--epochs" or "--train-size" or "--threads":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
                    {
                        return (null, $"{name} takes a whole number ≥ 1, got '{value}'.");
                    }

                    options = name switch
                    {
                        "--epochs" => options with { Epochs = number },
                        "--train-size" => options with { TrainSize = number },
                        _ => options with { Threads = number },
                    };
                    break;
                case "--rates":
                    var rates = new List<double>();
                    foreach (var text in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) || rate <= 0)
                        {
                            return (null, $"--rates takes positive numbers separated by commas, got '{text}'.");
                        }

                        rates.Add(rate);
                    }

                    options = options with { Rates = rates };
                    break;
                default:
                    return (null, $"unknown option '{name}'.");
            }
        }

        return (options, null);
    }
}

using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace DslNet.Samples.Cifar10;

/// <summary>What one invocation of the sample asks for.</summary>
public sealed record ExerciseOptions
{
    public static readonly IReadOnlyList<string> Parts = ["b", "c", "d", "e", "f", "lr-search", "all", "report", "export", "cnn", "resnet", "pretrained", "pretrained-sizes", "pretrained-all", "pytorch", "pytorch-import"];

    public required string Part { get; init; }

    /// <summary>The folder holding <c>cifar-10-batches-bin/</c>; null = $DSLNET_DATA, then the cache.</summary>
    public string? DataDir { get; init; }

    public string OutputDir { get; init; } = Path.Combine("samples", "Cifar10", "results");

    /// <summary>Overrides the declared number of epochs (for quick looks; the book's runs use the declaration).</summary>
    public int? Epochs { get; init; }

    /// <summary>Train on the first N training images only (for smoke runs).</summary>
    public int? TrainSize { get; init; }

    /// <summary>`pretrained`: validation images (cats and dogs) to use; null = all of the split's.</summary>
    public int? ValidSize { get; init; }

    /// <summary>`pretrained`: epochs of fine-tuning the whole network at 1e-4 after the head (0 = none).</summary>
    public int FineTuneEpochs { get; init; }

    /// <summary>Torch intra-op threads; null = Fit's automatic choice (measured at the start of each run, see BENCHMARKS.md).</summary>
    public int? Threads { get; init; }

    public bool Progress { get; init; } = true;

    /// <summary>Keep subnormal floats while training (FitOptions.FlushSubnormals = false), to measure what flushing them saves.</summary>
    public bool KeepSubnormals { get; init; }

    /// <summary>Where training backs itself up (FitOptions.BackupDirectory), so a killed run resumes when started again; null = no backup.</summary>
    public string? BackupDir { get; init; }

    /// <summary>Learning rates of the lr-search grid (the book's, for part b).</summary>
    public IReadOnlyList<double> Rates { get; init; } = [1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2];

    /// <summary>Where TensorBoard event files go (one folder per run); null = none.</summary>
    public string? TensorBoardDir { get; init; }
}

/// <summary>
/// <c>&lt;part&gt; [--data DIR] [--out DIR] [--epochs N] [--train-size N] [--threads N] [--rates r1,r2,…] [--backup DIR] [--tensorboard DIR] [--quiet]</c>,
/// parsed by System.CommandLine (help, validation and error messages from the library).
/// </summary>
public static class CommandLine
{
    private static readonly Argument<string> Part = new("part")
    {
        Description = """
            b          20 × Dense(100, He, Swish), Nadam 5e-5, early stopping (raw pixels)
            c          part b with batch normalization before every activation, Nadam 5e-4
            d          SELU + LeCun normal on standardized inputs, Nadam 7e-4
            e          part d with AlphaDropout(0.1), Nadam 5e-4, then MC dropout (10 samples)
            f          part e with SGD + 1cycle (max rate 0.05), 15 epochs, batch 128; LR finder first
            lr-search  the book's learning-rate grid for part b: 1e-5 … 1e-2, 10 epochs per rate
            all        b, c, d, e and f in turn
            report     rewrite the table in samples/Cifar10/RESULTS.md from the results folder
            export     export the parts' saved models to ONNX; ONNX Runtime's validation accuracy beside DslNet's
            pytorch    part c's PyTorch twin (model.py, weights.pt, train.py for torchrun) and the data as .npy under OUT/pytorch
            pytorch-import  part c's weights trained by train.py (OUT/pytorch/c/trained.pt) back into DslNet: validation accuracy
            cnn        beyond the exercise: a convolutional network (4 × Conv2D + BatchNorm + ReLU with MaxPool, GlobalAvgPool),
                       random flips, SGD + 1cycle, 5 epochs of batches of 128
            resnet     fast CIFAR-10 (issue 22): an airbench-like net (conv, max-pool, batch norm without scale, GELU),
                       flips and 2-pixel crops, label smoothing, Nesterov SGD + 1cycle at batch 512; validation and
                       official test-set accuracy (RESULTS.md: accuracy against minutes, per --epochs)
            pretrained cat vs dog (2,000 images; --train-size) from the ImageNet ResNet-18 of NuGet's
                       Microsoft.ML.DnnImageFeaturizer.ResNet18 at 128×128: the head on features computed once, then
                       optionally --fine-tune-epochs at 1e-4; beside the same network from scratch for the same time
            pretrained-sizes  which [Resize] size keeps the pretrained features useful: 64, 128, 224 (500 + 500 images)
            pretrained-all  all ten classes (45,000 images; --train-size): a head on the frozen ImageNet features at 128×128
            """,
    };

    private static readonly Option<string?> Data = new("--data") { HelpName = "DIR", Description = "folder that holds cifar-10-batches-bin/ (default: $DSLNET_DATA, then the cache folder)" };
    private static readonly Option<string?> Out = new("--out") { HelpName = "DIR", Description = "where histories, curves, weights and results go (default: samples/Cifar10/results)" };
    private static readonly Option<int?> Epochs = AtLeastOne("--epochs", "override the declared number of epochs");
    private static readonly Option<int?> TrainSize = AtLeastOne("--train-size", "train on the first N of the 45,000 training images");
    private static readonly Option<int?> Threads = AtLeastOne("--threads", "torch intra-op threads (default: measured at the start of each run; RESULTS.md's rows used 1)");
    private static readonly Option<double[]?> Rates = new("--rates") { HelpName = "R1,R2,…", Description = "learning rates for lr-search", CustomParser = ParseRates };
    private static readonly Option<string?> Backup = new("--backup") { HelpName = "DIR", Description = "back training up to DIR; run the same command again after a crash or kill to resume" };
    private static readonly Option<string?> TensorBoard = new("--tensorboard") { HelpName = "DIR", Description = "write TensorBoard event files (loss, accuracy, learning rate per epoch) under DIR/<run>" };
    private static readonly Option<int?> ValidSize = AtLeastOne("--valid-size", "pretrained: use the first N validation cats and dogs");
    private static readonly Option<int?> FineTune = new("--fine-tune-epochs") { HelpName = "N", Description = "pretrained: epochs of fine-tuning everything at 1e-4 after the head (default 0: the 15-minute budget leaves no time; 1 takes about 7 more minutes at 2,000 images)" };
    private static readonly Option<bool> Quiet = new("--quiet") { Description = "no progress bars" };
    private static readonly Option<bool> KeepSubnormals = new("--keep-subnormals") { Description = "do not flush subnormal floats to zero while training (DslNet flushes them, as TensorFlow does on CPUs)" };

    /// <summary>The sample's command: the part and the options.</summary>
    public static RootCommand Command { get; } = CreateCommand();

    /// <summary>Parses <paramref name="args"/>, then runs <paramref name="run"/> with the options; help is exit code 0, a usage error 2.</summary>
    public static int Run(IReadOnlyList<string> args, Func<ExerciseOptions, int> run, TextWriter output, TextWriter error)
    {
        var parse = Command.Parse(args);
        return CommandLineErrors.Check(parse, output, error) ?? run(ToOptions(parse));
    }

    /// <summary>The options, or the library's error message.</summary>
    public static (ExerciseOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        var parse = Command.Parse(args);
        return parse.Errors.Count > 0 ? (null, parse.Errors[0].Message) : (ToOptions(parse), null);
    }

    private static RootCommand CreateCommand()
    {
        Part.AcceptOnlyFromAmong([.. ExerciseOptions.Parts]);
        return new RootCommand("Chapter 11, exercise 8 on CIFAR-10: one command per part of the exercise (dotnet run -c Release --project samples/Cifar10 -- <part> [options]).")
        {
            Part, Data, Out, Epochs, TrainSize, ValidSize, FineTune, Threads, Rates, Backup, TensorBoard, Quiet, KeepSubnormals,
        };
    }

    private static ExerciseOptions ToOptions(ParseResult parse)
    {
        var options = new ExerciseOptions
        {
            Part = parse.GetRequiredValue(Part),
            DataDir = parse.GetValue(Data),
            Epochs = parse.GetValue(Epochs),
            TrainSize = parse.GetValue(TrainSize),
            ValidSize = parse.GetValue(ValidSize),
            FineTuneEpochs = parse.GetValue(FineTune) ?? 0,
            Threads = parse.GetValue(Threads),
            Progress = !parse.GetValue(Quiet),
            KeepSubnormals = parse.GetValue(KeepSubnormals),
            BackupDir = parse.GetValue(Backup),
            TensorBoardDir = parse.GetValue(TensorBoard),
        };
        if (parse.GetValue(Out) is { } outputDir)
        {
            options = options with { OutputDir = outputDir };
        }

        return parse.GetValue(Rates) is { } rates ? options with { Rates = rates } : options;
    }

    private static Option<int?> AtLeastOne(string name, string description)
    {
        var option = new Option<int?>(name) { HelpName = "N", Description = description };
        // A value that is not a number is the library's error; a number below 1 is this one.
        option.Validators.Add(result =>
        {
            if (result.Tokens is [var token] && int.TryParse(token.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value < 1)
            {
                result.AddError($"{name} takes a whole number ≥ 1, got {value}.");
            }
        });
        return option;
    }

    private static double[]? ParseRates(ArgumentResult result)
    {
        var rates = new List<double>();
        foreach (var text in result.Tokens.Single().Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) || !(rate > 0) || double.IsInfinity(rate))
            {
                result.AddError($"--rates takes positive numbers separated by commas, got '{text}'.");
                return null;
            }

            rates.Add(rate);
        }

        return [.. rates];
    }
}

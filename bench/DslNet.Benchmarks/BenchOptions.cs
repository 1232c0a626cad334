using System.CommandLine;
using System.Globalization;
using DslNet.Samples;

namespace DslNet.Benchmarks;

/// <summary>Command-line options: sizes of the run (defaults are the full measurement), parsed by System.CommandLine.</summary>
internal sealed record BenchOptions
{
    private static readonly Option<int> SamplesOption = Positive("--samples", 45_000, "training samples per epoch");
    private static readonly Option<int> RepeatsOption = Positive("--repeats", 3, "timed epochs per contender and batch size, after one warm-up epoch each");
    private static readonly Option<int> MemoryEpochsOption = Positive("--memory-epochs", 5, "epochs of the memory-growth run");
    private static readonly Option<int> ProfileStepsOption = Positive("--profile-steps", 300, "steps per phase profile");
    private static readonly Option<int> CnnSamplesOption = Positive("--cnn-samples", 4_096, "training samples per epoch of the convolutional networks' races");
    private static readonly Option<bool> CnnOption = new("--cnn")
    {
        Description = "only run the convolutional networks' races (generated Fit vs hand-written TorchSharp: the CNN, the ResNet, then FastNet) and print their tables",
    };

    private static readonly Option<bool> ResNetOption = new("--resnet")
    {
        Description = "only run the residual network's race (generated Fit vs hand-written TorchSharp ResNet) and print its table",
    };

    private static readonly Option<bool> FastNetOption = new("--fastnet")
    {
        Description = "only run the fast network's race (generated Fit vs hand-written TorchSharp FastNet, batch 512) and print its table",
    };

    private static readonly Option<bool> ThreadSweepOption = new("--thread-sweep")
    {
        Description = "only print Fit's epoch time at every plan it may choose (threads × replicas) for batch sizes 32 … 512",
    };

    private static readonly Option<bool> SubnormalsOption = new("--subnormals")
    {
        Description = "only run part b's whole run on the real CIFAR-10 with subnormals flushed, then kept, at one thread, and update BENCHMARKS.md's subnormal section (needs --data or DSLNET_DATA)",
    };

    private static readonly Option<string?> DataOption = new("--data")
    {
        HelpName = "DIR",
        Description = "a folder holding cifar-10-batches-bin/ (for --subnormals; default $DSLNET_DATA)",
    };

    private static readonly Option<string?> OutOption = new("--out")
    {
        HelpName = "FILE",
        Description = "the report to update (default BENCHMARKS.md at the repository root; 'none' = stdout only)",
    };

    private static readonly RootCommand Command = new("DslNet benchmark: the generated Fit vs a hand-written TorchSharp loop (dotnet run -c Release --project bench/DslNet.Benchmarks [-- options]).")
    {
        SamplesOption, RepeatsOption, MemoryEpochsOption, ProfileStepsOption, CnnSamplesOption, CnnOption, ResNetOption, FastNetOption, ThreadSweepOption, SubnormalsOption, DataOption, OutOption,
    };

    public int Samples { get; init; } = 45_000;

    public int Repeats { get; init; } = 3;

    public int MemoryEpochs { get; init; } = 5;

    public int ProfileSteps { get; init; } = 300;

    public string? Output { get; init; } = DefaultOutput();

    public int CnnSamples { get; init; } = 4_096;

    public bool CnnOnly { get; init; }

    public bool ResNetOnly { get; init; }

    public bool FastNetOnly { get; init; }

    public bool ThreadSweep { get; init; }

    public bool Subnormals { get; init; }

    public string? DataDirectory { get; init; }

    /// <summary>The options, or null and the exit code (0 after <c>--help</c>, 2 after a usage error, written to <paramref name="error"/>).</summary>
    public static (BenchOptions? Options, int ExitCode) Parse(string[] args, TextWriter output, TextWriter error)
    {
        var parse = Command.Parse(args);
        if (CommandLineErrors.Check(parse, output, error) is int exitCode)
        {
            return (null, exitCode);
        }

        var options = new BenchOptions
        {
            Samples = Math.Max(parse.GetValue(SamplesOption), 128),
            Repeats = parse.GetValue(RepeatsOption),
            MemoryEpochs = Math.Max(parse.GetValue(MemoryEpochsOption), 2),
            ProfileSteps = parse.GetValue(ProfileStepsOption),
            CnnSamples = Math.Max(parse.GetValue(CnnSamplesOption), CnnNetwork.All.Max(n => n.BatchSize)),
            CnnOnly = parse.GetValue(CnnOption),
            ResNetOnly = parse.GetValue(ResNetOption),
            FastNetOnly = parse.GetValue(FastNetOption),
            ThreadSweep = parse.GetValue(ThreadSweepOption),
            Subnormals = parse.GetValue(SubnormalsOption),
            DataDirectory = parse.GetValue(DataOption),
        };
        return parse.GetValue(OutOption) is { } file ? (options with { Output = file == "none" ? null : Path.GetFullPath(file) }, 0) : (options, 0);
    }

    private static Option<int> Positive(string name, int defaultValue, string description)
    {
        var option = new Option<int>(name) { HelpName = "N", Description = $"{description} (default {defaultValue})", DefaultValueFactory = _ => defaultValue };
        // A value that is not a number is the library's error; a number below 1 is this one.
        option.Validators.Add(result =>
        {
            if (result.Tokens is [var token] && int.TryParse(token.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value < 1)
            {
                result.AddError($"{name} needs a positive whole number, got {value}.");
            }
        });
        return option;
    }

    private static string? DefaultOutput()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "DslNet.sln")))
            {
                return Path.Combine(folder.FullName, "BENCHMARKS.md");
            }
        }

        return null;
    }
}

using System.Globalization;

namespace DslNet.Benchmarks;

/// <summary>Command-line options: sizes of the run (defaults are the full measurement).</summary>
internal sealed record BenchOptions
{
    public const string Usage =
        "usage: dotnet run -c Release --project bench/DslNet.Benchmarks [-- options]\n" +
        "  --samples N        training samples per epoch (default 45000)\n" +
        "  --repeats N        timed epochs per contender and batch size, after one warm-up epoch each (default 3)\n" +
        "  --memory-epochs N  epochs of the memory-growth run (default 5)\n" +
        "  --profile-steps N  steps per phase profile (default 300)\n" +
        "  --thread-sweep     only print Fit's epoch time at every plan it may choose (threads × replicas) for batch sizes 32 … 512\n" +
        "  --out FILE         the report to update (default BENCHMARKS.md at the repository root; 'none' = stdout only)";

    public int Samples { get; init; } = 45_000;

    public int Repeats { get; init; } = 3;

    public int MemoryEpochs { get; init; } = 5;

    public int ProfileSteps { get; init; } = 300;

    public string? Output { get; init; } = DefaultOutput();

    public bool ThreadSweep { get; init; }

    public static (BenchOptions? Options, string? Error) Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--thread-sweep")
            {
                options = options with { ThreadSweep = true };
                continue;
            }

            if (i + 1 >= args.Length)
            {
                return (null, $"{args[i]} needs a value");
            }

            var value = args[++i];
            if (args[i - 1] == "--out")
            {
                options = options with { Output = value == "none" ? null : Path.GetFullPath(value) };
                continue;
            }

            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
            {
                return (null, $"{args[i - 1]} needs a positive whole number, got '{value}'");
            }

            options = args[i - 1] switch
            {
                "--samples" => options with { Samples = Math.Max(number, 128) },
                "--repeats" => options with { Repeats = number },
                "--memory-epochs" => options with { MemoryEpochs = Math.Max(number, 2) },
                "--profile-steps" => options with { ProfileSteps = number },
                _ => null!,
            };
            if (options is null)
            {
                return (null, $"unknown option {args[i - 1]}");
            }
        }

        return (options, null);
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

using System.Reflection;
using Xunit;

namespace DslNet.Tests.Samples;

/// <summary>
/// The programs' command lines (System.CommandLine), through their real entry points: a usage error is one clear
/// error line and exit code 2; <c>--help</c> is the library's help and exit code 0.
/// </summary>
[Collection(ConsoleCollection.Name)]
public class CommandLineTests
{
    public static TheoryData<string, string[], string> UsageErrors => new()
    {
        // program, arguments, what the error names
        { "DslNet.Samples.Cifar10", ["b", "--colour", "red"], "--colour" },
        { "DslNet.Samples.Cifar10", ["b", "--data"], "--data" },
        { "DslNet.Samples.Cifar10", ["b", "--epochs", "zero"], "zero" },
        { "DslNet.Samples.Cifar10", ["b", "--epochs", "0"], "--epochs takes a whole number ≥ 1" },
        { "DslNet.Samples.Cifar10", ["b", "--rates", "1e-4,fast"], "fast" },
        { "DslNet.Samples.Cifar10", ["z"], "'z'" },
        { "DslNet.Samples.Cifar10", [], "part" },
        { "DslNet.Samples.Chapter11", ["fit", "--colour"], "--colour" },
        { "DslNet.Samples.Chapter11", ["warp"], "'warp'" },
        { "DslNet.Samples.Chapter11", [], "experiment" },
        { "DslNet.Benchmarks", ["--colour"], "--colour" },
        { "DslNet.Benchmarks", ["--samples"], "--samples" },
        { "DslNet.Benchmarks", ["--repeats", "three"], "three" },
        { "DslNet.Benchmarks", ["--repeats", "0"], "--repeats needs a positive whole number" },
    };

    [Theory]
    [MemberData(nameof(UsageErrors))]
    public void A_usage_error_is_one_clear_error_and_exit_code_2(string program, string[] args, string named)
    {
        var (exitCode, output, error) = Run(program, args);

        Assert.Equal(2, exitCode);
        var errors = error.Split('\n').Where(line => line.StartsWith("error:", StringComparison.Ordinal)).ToList();
        var line = Assert.Single(errors);
        Assert.Contains(named, line, StringComparison.Ordinal);
        Assert.Contains("--help", error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, output);
    }

    [Theory]
    [InlineData("DslNet.Samples.Cifar10", "--tensorboard")]
    [InlineData("DslNet.Samples.Chapter11", "mc-dropout")]
    [InlineData("DslNet.Benchmarks", "--thread-sweep")]
    [InlineData("DslNet.Benchmarks", "--resnet")]
    [InlineData("DslNet.Benchmarks", "--fastnet")]
    public void Help_is_the_library_s_and_exit_code_0(string program, string mentioned)
    {
        var (exitCode, output, error) = Run(program, ["--help"]);

        Assert.Equal(0, exitCode);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
        Assert.Contains(mentioned, output, StringComparison.Ordinal);
        Assert.Equal(string.Empty, error);
    }

    /// <summary>Calls the program's Main with <paramref name="args"/>, capturing the console.</summary>
    private static (int ExitCode, string Output, string Error) Run(string program, string[] args)
    {
        var entry = Assembly.Load(program).EntryPoint!;
        var (oldOut, oldError) = (Console.Out, Console.Error);
        var (output, error) = (new StringWriter(), new StringWriter());
        try
        {
            Console.SetOut(output);
            Console.SetError(error);
            var exitCode = (int)entry.Invoke(null, [args])!;
            return (exitCode, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldError);
        }
    }
}

/// <summary>Tests that replace the console run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "Console";
}

using System.CommandLine;
using DslNet.Samples.Chapter11.Experiments;

namespace DslNet.Samples.Chapter11;

/// <summary><c>&lt;experiment|all&gt;</c>, parsed by System.CommandLine (help, validation and error messages from the library).</summary>
internal static class CommandLine
{
    private static readonly Argument<string> Experiment = new("experiment")
    {
        Description = string.Concat(Catalog.Experiments.Select(e => $"{e.Name,-13} {e.Description}\n")) + $"{"all",-13} every experiment above, in this order",
    };

    public static RootCommand Command { get; } = CreateCommand();

    /// <summary>Parses <paramref name="args"/> and runs <paramref name="run"/> with the experiment's name; help is exit code 0, a usage error 2.</summary>
    public static int Run(IReadOnlyList<string> args, Func<string, int> run, TextWriter output, TextWriter error)
    {
        var parse = Command.Parse(args);
        return CommandLineErrors.Check(parse, output, error) ?? run(parse.GetRequiredValue(Experiment));
    }

    private static RootCommand CreateCommand()
    {
        Experiment.AcceptOnlyFromAmong([.. Catalog.Experiments.Select(e => e.Name), "all"]);
        return new RootCommand("Chapter 11's exercises 1–7 answered with numbers (dotnet run -c Release --project samples/Chapter11 -- <experiment|all>).") { Experiment };
    }
}

using System.CommandLine;
using System.CommandLine.Help;

namespace DslNet.Samples;

/// <summary>
/// What the samples and the benchmark do with a parsed command line before running: <c>--help</c> prints
/// System.CommandLine's help (exit code 0); a parse error prints the library's first message and a pointer to
/// <c>--help</c> (exit code 2, the usage-error code). Linked into each program.
/// </summary>
internal static class CommandLineErrors
{
    /// <summary>The exit code of a command line the program cannot run.</summary>
    public const int UsageError = 2;

    /// <summary>The exit code to stop with (help shown, or a usage error), or null when the command line can run.</summary>
    public static int? Check(ParseResult parse, TextWriter output, TextWriter error)
    {
        if (parse.Action is HelpAction)
        {
            return parse.Invoke(new InvocationConfiguration { Output = output, Error = error });
        }

        if (parse.Errors.Count > 0)
        {
            // One clear error: the first. (An unknown option's value would be reported again as a second unknown token.)
            error.WriteLine($"error: {parse.Errors[0].Message}");
            error.WriteLine($"Run with --help to see the arguments and options.");
            return UsageError;
        }

        return null;
    }
}

using System.Collections.Immutable;
using DslNet.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace DslNet.Generators.Tests.Diagnostics;

/// <summary>Runs the analyzer over marked source and asserts exactly the marked DslNet diagnostics, at the marked spans.</summary>
internal static class DiagnosticAssert
{
    /// <summary>A file declaring class <c>Net</c> with the given attribute lines.</summary>
    public static string ModelSource(string attributes, string declaration = "public partial class Net") =>
        "using DslNet;\n\nnamespace Samples;\n\n" + attributes.Trim() + "\n" + declaration + "\n{\n}\n";

    /// <summary>
    /// Asserts the analyzer reports exactly the marked diagnostics and no AD0001; unless
    /// <paramref name="compilerErrors"/>, also that the source itself compiles.
    /// </summary>
    public static async Task<ImmutableArray<Diagnostic>> VerifyAsync(string marked, bool compilerErrors = false)
    {
        var source = MarkedSource.Parse(marked);
        var compilation = CompilationFactory.Create(source.Text);
        if (!compilerErrors)
        {
            Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()));
        }

        // The generator runs over every diagnostic case too: it must not throw, and a second run must redo nothing.
        Assert.Empty(GeneratorHarness.Run(compilation).Exceptions);
        var diagnostics = await AnalyzerRunner.AnalyzeAsync(compilation);
        Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");
        var text = SourceText.From(source.Text);
        Assert.Equal(
            source.Expected.Select(e => Describe(text, e.Id, e.Span)),
            diagnostics.Select(d => Describe(text, d.Id, d.Location.SourceSpan)));
        return diagnostics;
    }

    /// <summary>The one diagnostic with the given ID.</summary>
    public static Diagnostic Single(this ImmutableArray<Diagnostic> diagnostics, string id) => Assert.Single(diagnostics, d => d.Id == id);

    private static string Describe(SourceText text, string id, TextSpan span)
    {
        var lines = text.Lines.GetLinePositionSpan(span);
        return $"{id} {lines.Start.Line + 1}:{lines.Start.Character + 1}-{lines.End.Line + 1}:{lines.End.Character + 1} '{text.ToString(span)}'";
    }
}

using System.Collections.Immutable;
using DslNet.Generators.Analyzer;
using DslNet.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DslNet.Generators.Tests.Infrastructure;

/// <summary>Runs DslNet's <see cref="ModelAnalyzer"/> over a compilation.</summary>
public static class AnalyzerRunner
{
    /// <summary>
    /// The analyzer's diagnostics, including AD0001 when it throws (the driver turns an analyzer exception into
    /// that diagnostic instead of failing), sorted by position.
    /// </summary>
    public static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Compilation compilation)
    {
        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new ModelAnalyzer());
        var withAnalyzers = compilation.WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: false, reportSuppressedDiagnostics: false));
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync();
        return diagnostics.OrderBy(d => d.Location.SourceSpan.Start).ThenBy(d => d.Id, StringComparer.Ordinal).ToImmutableArray();
    }
}

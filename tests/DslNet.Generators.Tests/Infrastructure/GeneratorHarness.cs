using System.Collections.Immutable;
using DslNet.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DslNet.Generators.Tests.Infrastructure;

/// <summary>Runs the generator over test sources compiled by <see cref="CompilationFactory"/>.</summary>
internal static class GeneratorHarness
{
    public static CSharpParseOptions ParseOptions => CompilationFactory.ParseOptions;

    public static CSharpCompilation Compile(params string[] sources) => CompilationFactory.Create(sources);

    public static GeneratorDriver CreateDriver() => CSharpGeneratorDriver.Create(
        new[] { new ModelGenerator().AsSourceGenerator() },
        parseOptions: ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator; returns the output compilation, its diagnostics, and the generated sources by hint name.</summary>
    public static GeneratorOutput Run(params string[] sources)
    {
        var compilation = Compile(sources);
        var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        var result = driver.GetRunResult();
        var generated = result.Results.SelectMany(r => r.GeneratedSources).ToImmutableSortedDictionary(s => s.HintName, s => s.SourceText.ToString());
        return new GeneratorOutput(output, generatorDiagnostics, output.GetDiagnostics(), generated, result.Results.Select(r => r.Exception).Where(e => e is not null).ToImmutableArray()!);
    }
}

internal sealed record GeneratorOutput(
    Compilation Compilation,
    ImmutableArray<Diagnostic> GeneratorDiagnostics,
    ImmutableArray<Diagnostic> CompilationDiagnostics,
    ImmutableSortedDictionary<string, string> Sources,
    ImmutableArray<Exception> Exceptions)
{
    public IEnumerable<Diagnostic> Errors => CompilationDiagnostics.Concat(GeneratorDiagnostics).Where(d => d.Severity == DiagnosticSeverity.Error);

    public IEnumerable<Diagnostic> Warnings => CompilationDiagnostics.Concat(GeneratorDiagnostics).Where(d => d.Severity == DiagnosticSeverity.Warning);
}

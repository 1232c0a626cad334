using System.Collections.Immutable;
using DslNet.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DslNet.Generators.Tests.Infrastructure;

/// <summary>Compiles test sources against the DslNet runtime and TorchSharp, and runs the generator over them.</summary>
internal static class GeneratorHarness
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return platform
            .Concat(new[] { typeof(DslNet.ModelAttribute).Assembly.Location, typeof(TorchSharp.torch).Assembly.Location })
            .Distinct()
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
    });

    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest);

    public static CSharpCompilation Compile(params string[] sources) => CSharpCompilation.Create(
        "DslNet.UserAssembly",
        sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Source{i}.cs")),
        References.Value,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

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

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

    /// <summary>
    /// Runs the generator; returns the output compilation, its diagnostics, and the generated sources by hint name.
    /// Every run is checked for incrementality too (<see cref="AssertSecondRunIsCached"/>).
    /// </summary>
    public static GeneratorOutput Run(params string[] sources) => Run(Compile(sources));

    /// <summary>Runs the generator over <paramref name="compilation"/>, then again to check that nothing is redone.</summary>
    public static GeneratorOutput Run(Compilation compilation)
    {
        var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        AssertSecondRunIsCached(driver, compilation);
        var result = driver.GetRunResult();
        var generated = result.Results.SelectMany(r => r.GeneratedSources).ToImmutableSortedDictionary(s => s.HintName, s => s.SourceText.ToString());
        return new GeneratorOutput(output, generatorDiagnostics, output.GetDiagnostics(), generated, result.Results.Select(r => r.Exception).Where(e => e is not null).ToImmutableArray()!);
    }

    /// <summary>The generator's own named steps (<see cref="TrackingNames"/>); Roslyn tracks its internal ones too, which see the new compilation.</summary>
    private static readonly string[] PipelineSteps = typeof(TrackingNames)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Select(field => (string)field.GetValue(null)!)
        .ToArray();

    /// <summary>
    /// Runs <paramref name="driver"/> a second time over the same (cloned) compilation and asserts that every tracked step,
    /// and every source output, was served from the cache or found unchanged: a step that reruns means the pipeline holds
    /// something not equatable by value (a symbol, a syntax node, an array).
    /// </summary>
    public static void AssertSecondRunIsCached(GeneratorDriver driver, Compilation compilation)
    {
        var second = driver.RunGenerators(compilation.Clone()).GetRunResult().Results.Single();
        var steps = second.TrackedSteps.Where(step => PipelineSteps.Contains(step.Key)).Concat(second.TrackedOutputSteps);
        var rerun = steps
            .SelectMany(step => step.Value.SelectMany(run => run.Outputs).Select(output => (Step: step.Key, output.Reason)))
            .Where(output => output.Reason is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged))
            .Select(output => $"{output.Step}: {output.Reason}")
            .ToList();
        Xunit.Assert.True(rerun.Count == 0, "The second run redid work: " + string.Join(", ", rerun));
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

using DslNet.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace DslNet.Generators.Tests.Diagnostics;

/// <summary>
/// The generator and the analyzer on <see cref="MalformedDeclarations"/>: neither ever throws (no AD0001, no CS8785,
/// no generator exception), a declaration with a DslNet error gets no generated code, and a declaration the analyzer
/// accepts compiles together with its generated code.
/// </summary>
public sealed class RobustnessTests
{
    public static IEnumerable<object[]> Cases => MalformedDeclarations.Indexes();

    [Theory]
    [MemberData(nameof(Cases))]
    public Task GeneratorAndAnalyzerSurviveMalformedDeclaration(string index) =>
        Survives(MalformedDeclarations.Case(int.Parse(index, System.Globalization.CultureInfo.InvariantCulture)));

    public static IEnumerable<object[]> ConvCases => Convolution.MalformedConvDeclarations.Indexes();

    [Theory]
    [MemberData(nameof(ConvCases))]
    public Task GeneratorAndAnalyzerSurviveMalformedConvDeclaration(string index) =>
        Survives(Convolution.MalformedConvDeclarations.Case(int.Parse(index, System.Globalization.CultureInfo.InvariantCulture)));

    private static async Task Survives(string source)
    {
        var output = GeneratorHarness.Run(source);
        Assert.Empty(output.Exceptions);
        Assert.DoesNotContain(output.GeneratorDiagnostics, d => d.Id == "CS8785");

        var analyzer = await AnalyzerRunner.AnalyzeAsync(CompilationFactory.Create(source));
        Assert.DoesNotContain(analyzer, d => d.Id == "AD0001");
        Assert.All(analyzer, d => Assert.True(d.Location.IsInSource, $"{d.Id} has no source location: {d.GetMessage()}"));

        var models = output.Sources.Keys.Where(hint => !hint.StartsWith("DslNet.", StringComparison.Ordinal)).ToList();
        var dslErrors = analyzer.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (dslErrors.Count > 0)
        {
            Assert.True(models.Count == 0, $"generated {string.Join(", ", models)} despite {dslErrors[0]}:\n{source}");
        }

        var userErrors = CompilationFactory.Create(source).GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (userErrors.Count == 0 && dslErrors.Count == 0)
        {
            var errors = output.Errors.Select(d => d.ToString()).ToList();
            Assert.True(errors.Count == 0, $"the analyzer accepts this declaration but its generated code does not compile:\n{source}\n{string.Join("\n", errors)}");
        }
    }

    [Fact]
    public async Task CorpusIsVariedAndReachesEveryBranch()
    {
        var sources = Enumerable.Range(0, MalformedDeclarations.Count).Select(MalformedDeclarations.Case).ToList();
        Assert.Equal(MalformedDeclarations.Count, sources.Distinct().Count());
        Assert.Equal(sources, Enumerable.Range(0, MalformedDeclarations.Count).Select(MalformedDeclarations.Case));

        // Enough cases of each kind that the properties above are exercised, not vacuous.
        int clean = 0, withDslErrors = 0, withCompilerErrors = 0;
        foreach (var source in sources)
        {
            var compilation = CompilationFactory.Create(source);
            var compilerErrors = compilation.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error);
            var dslErrors = (await AnalyzerRunner.AnalyzeAsync(compilation)).Any(d => d.Severity == DiagnosticSeverity.Error);
            withCompilerErrors += compilerErrors ? 1 : 0;
            withDslErrors += dslErrors ? 1 : 0;
            clean += !compilerErrors && !dslErrors ? 1 : 0;
        }

        Assert.InRange(clean, 20, MalformedDeclarations.Count);
        Assert.InRange(withDslErrors, 40, MalformedDeclarations.Count);
        Assert.InRange(withCompilerErrors, 40, MalformedDeclarations.Count);
    }
}

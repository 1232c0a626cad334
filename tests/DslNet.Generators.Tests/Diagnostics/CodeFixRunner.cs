using System.Collections.Immutable;
using DslNet.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace DslNet.Generators.Tests.Diagnostics;

/// <summary>Applies a code fix the way an IDE does: in a workspace, through the code action's operations.</summary>
internal static class CodeFixRunner
{
    /// <summary>
    /// Fixes every <paramref name="id"/> diagnostic of the sources (one at a time, or all at once with the provider's
    /// fix-all), then checks the diagnostic is gone; returns the sources after the fix.
    /// </summary>
    public static async Task<string[]> FixAsync(CodeFixProvider provider, string id, bool fixAll, params string[] sources)
    {
        using var workspace = new AdhocWorkspace();
        var project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(), VersionStamp.Default, "Tests", "Tests", LanguageNames.CSharp,
            compilationOptions: CompilationFactory.Options, parseOptions: CompilationFactory.ParseOptions,
            metadataReferences: CompilationFactory.References));
        var documents = sources.Select((source, i) => workspace.AddDocument(project.Id, $"Source{i}.cs", SourceText.From(source)).Id).ToList();
        var solution = workspace.CurrentSolution;

        var diagnostics = await DiagnosticsAsync(solution.GetProject(project.Id)!, id);
        Assert.NotEmpty(diagnostics);
        if (fixAll)
        {
            solution = await FixAllAsync(provider, solution.GetDocument(DocumentOf(solution, diagnostics[0]))!, id, diagnostics);
        }
        else
        {
            while (diagnostics.Length > 0)
            {
                solution = await FixOneAsync(provider, solution.GetDocument(DocumentOf(solution, diagnostics[0]))!, diagnostics[0]);
                diagnostics = await DiagnosticsAsync(solution.GetProject(project.Id)!, id);
            }
        }

        Assert.Empty(await DiagnosticsAsync(solution.GetProject(project.Id)!, id));
        var compilation = await solution.GetProject(project.Id)!.GetCompilationAsync();
        Assert.Empty(compilation!.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()));
        return await Task.WhenAll(documents.Select(async document => (await solution.GetDocument(document)!.GetTextAsync()).ToString()));
    }

    /// <summary>How many fixes <paramref name="provider"/> offers for the first <paramref name="id"/> diagnostic of <paramref name="source"/> (which has one).</summary>
    public static async Task<int> OfferedFixesAsync(CodeFixProvider provider, string id, string source)
    {
        using var workspace = new AdhocWorkspace();
        var project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(), VersionStamp.Default, "Tests", "Tests", LanguageNames.CSharp,
            compilationOptions: CompilationFactory.Options, parseOptions: CompilationFactory.ParseOptions,
            metadataReferences: CompilationFactory.References));
        var document = workspace.AddDocument(project.Id, "Source0.cs", SourceText.From(source));
        var diagnostics = await DiagnosticsAsync(document.Project, id);
        var actions = new List<CodeAction>();
        await provider.RegisterCodeFixesAsync(new CodeFixContext(document, Assert.Single(diagnostics), (action, _) => actions.Add(action), CancellationToken.None));
        return actions.Count;
    }

    private static async Task<Solution> FixOneAsync(CodeFixProvider provider, Document document, Diagnostic diagnostic)
    {
        var actions = new List<CodeAction>();
        await provider.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
        return await ApplyAsync(Assert.Single(actions));
    }

    private static async Task<Solution> FixAllAsync(CodeFixProvider provider, Document document, string id, ImmutableArray<Diagnostic> diagnostics)
    {
        var actions = new List<CodeAction>();
        await provider.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostics[0], (action, _) => actions.Add(action), CancellationToken.None));
        var context = new FixAllContext(
            document, provider, FixAllScope.Document, Assert.Single(actions).EquivalenceKey, new[] { id }, new KnownDiagnostics(diagnostics), CancellationToken.None);
        var fix = await provider.GetFixAllProvider()!.GetFixAsync(context);
        return await ApplyAsync(fix!);
    }

    private static async Task<Solution> ApplyAsync(CodeAction action)
    {
        var operations = await action.GetOperationsAsync(CancellationToken.None);
        return Assert.Single(operations.OfType<ApplyChangesOperation>()).ChangedSolution;
    }

    private static async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(Project project, string id)
    {
        var diagnostics = await AnalyzerRunner.AnalyzeAsync((await project.GetCompilationAsync())!);
        Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");
        return diagnostics.Where(d => d.Id == id).ToImmutableArray();
    }

    private static DocumentId DocumentOf(Solution solution, Diagnostic diagnostic) => solution.GetDocumentId(diagnostic.Location.SourceTree)!;

    private sealed class KnownDiagnostics(ImmutableArray<Diagnostic> diagnostics) : FixAllContext.DiagnosticProvider
    {
        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

        public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
        {
            var tree = await document.GetSyntaxTreeAsync(cancellationToken);
            return diagnostics.Where(d => d.Location.SourceTree == tree);
        }

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult(Enumerable.Empty<Diagnostic>());
    }
}

using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DslNet.Generators.Analyzer;
using DslNet.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DslNet.CodeFixes;

/// <summary>
/// DSL213, and DSL007 where the number is mechanical: rewrites [Reuse]'s <c>Layers = n</c> to the analyzer's suggestion
/// (every row before the source's output layer, or the Dense together with its own batch norm).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ReuseLayersCodeFix)), Shared]
public sealed class ReuseLayersCodeFix : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.InvalidReuse.Id, DiagnosticDescriptors.ReusedOutputLayer.Id);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(ModelAnalyzer.SuggestionKey, out var layers) || layers is null ||
                root?.AttributeAt(diagnostic.Location.SourceSpan)?.NamedArgument("Layers") is not { } argument)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Reuse Layers = {layers}",
                    cancellationToken => SetLayersAsync(context.Document, argument, layers, cancellationToken),
                    equivalenceKey: nameof(ReuseLayersCodeFix) + layers),
                diagnostic);
        }
    }

    private static async Task<Document> SetLayersAsync(Document document, AttributeArgumentSyntax argument, string layers, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var value = SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(int.Parse(layers, System.Globalization.CultureInfo.InvariantCulture)));
        return document.WithSyntaxRoot(root!.ReplaceNode(argument.Expression, value.WithTriviaFrom(argument.Expression)));
    }
}

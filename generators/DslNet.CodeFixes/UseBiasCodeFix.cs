using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using DslNet.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DslNet.CodeFixes;

/// <summary>DSL207: drops the bias batch normalization removes again, by writing <c>UseBias = false</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseBiasCodeFix)), Shared]
public sealed class UseBiasCodeFix : CodeFixProvider
{
    private const string UseBias = "UseBias";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.BiasBeforeBatchNorm.Id);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            // A biased layer inside a [Block] is reported at the [Residual] that uses it, which has no UseBias.
            if (root?.AttributeAt(diagnostic.Location.SourceSpan) is not { } attribute || attribute.IsResidualUnit())
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    "Set UseBias = false",
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(attribute, WithoutBias(attribute)))),
                    equivalenceKey: nameof(UseBiasCodeFix)),
                diagnostic);
        }
    }

    private static AttributeSyntax WithoutBias(AttributeSyntax attribute) =>
        attribute.WithNamedArgument(UseBias, SyntaxFactory.LiteralExpression(SyntaxKind.FalseLiteralExpression));
}

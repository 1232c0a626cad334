using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using DslNet.Generators.Analyzer;
using DslNet.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace DslNet.CodeFixes;

/// <summary>DSL103: turns plain dropout in a SELU network into alpha dropout with the same rate.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AlphaDropoutCodeFix)), Shared]
public sealed class AlphaDropoutCodeFix : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.SeluPlainDropout.Id);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            // A plain dropout inside a [Block] is reported at the [Residual] that uses it: that one is not renamed.
            if (root?.AttributeAt(diagnostic.Location.SourceSpan) is not { } attribute || !attribute.Is("Dropout"))
            {
                continue;
            }

            var written = attribute.Name.RightmostName().Identifier.ValueText;
            context.RegisterCodeFix(
                CodeAction.Create(
                    "Use AlphaDropout",
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(
                        root.ReplaceNode(attribute.Name, attribute.Name.WithRightmostIdentifier("Alpha" + written)))),
                    equivalenceKey: nameof(AlphaDropoutCodeFix)),
                diagnostic);
        }
    }
}

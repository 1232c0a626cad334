using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using DslNet.Generators.Analyzer;
using DslNet.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;

namespace DslNet.CodeFixes;

/// <summary>
/// DSL101 and DSL202: writes the initializer the layer's activation needs (<c>Init = Init.LeCun</c> for SELU, the
/// analyzer's suggestion otherwise), replacing the one written or adding the argument.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InitializerCodeFix)), Shared]
public sealed class InitializerCodeFix : CodeFixProvider
{
    private const string InitArgument = "Init";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.SeluInitializer.Id, DiagnosticDescriptors.InitializerMismatch.Id);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            var init = diagnostic.Id == DiagnosticDescriptors.SeluInitializer.Id
                ? "LeCun"
                : diagnostic.Properties.TryGetValue(ModelAnalyzer.SuggestionKey, out var suggestion) ? suggestion : null;
            // [Residual(filters)] has Init for its convolutions; a [Block]'s layers declare theirs on the block.
            if (init is null || root?.AttributeAt(diagnostic.Location.SourceSpan) is not { } attribute || attribute.IsBlockUnit())
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Use Init.{init}",
                    cancellationToken => SetInitAsync(context.Document, attribute, init, cancellationToken),
                    equivalenceKey: nameof(InitializerCodeFix) + init),
                diagnostic);
        }
    }

    private static async Task<Document> SetInitAsync(Document document, AttributeSyntax attribute, string init, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        if (attribute.NamedArgument(InitArgument)?.Expression is MemberAccessExpressionSyntax access)
        {
            // Init = Init.He → Init = Init.LeCun, keeping however the user qualified the enum.
            editor.ReplaceNode(access.Name, SyntaxFactory.IdentifierName(init).WithTriviaFrom(access.Name));
            return editor.GetChangedDocument();
        }

        editor.ReplaceNode(attribute, attribute.WithNamedArgument(InitArgument, InitValue(editor, init)));
        return editor.GetChangedDocument();
    }

    /// <summary><c>Init.X</c>, written as simply as the file's usings allow.</summary>
    private static ExpressionSyntax InitValue(DocumentEditor editor, string init)
    {
        var initType = editor.SemanticModel.Compilation.GetTypeByMetadataName("DslNet.Init");
        var value = initType is null
            ? SyntaxFactory.ParseExpression("global::DslNet.Init." + init)
            : (ExpressionSyntax)editor.Generator.MemberAccessExpression(editor.Generator.TypeExpression(initType), init);
        return value.WithAdditionalAnnotations(Simplifier.Annotation);
    }
}

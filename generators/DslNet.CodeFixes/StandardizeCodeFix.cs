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
/// DSL105: adds <c>[Standardize]</c> as the first layer, just before the first layer attribute: on its own line when
/// that attribute starts a line, else in the same attribute list or on the same line.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(StandardizeCodeFix)), Shared]
public sealed class StandardizeCodeFix : CodeFixProvider
{
    private const string LayerBase = "DslNet.LayerAttribute";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.SeluInputsNotStandardized.Id);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var semanticModel = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            var declaration = root?.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.FirstAncestorOrSelf<TypeDeclarationSyntax>();
            if (declaration is null || semanticModel?.GetDeclaredSymbol(declaration, context.CancellationToken) is not { } type
                || FirstLayer(type, context.CancellationToken) is not { } firstLayer
                || context.Document.Project.Solution.GetDocument(firstLayer.SyntaxTree) is not { } target)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    "Add [Standardize] as the first layer",
                    cancellationToken => InsertAsync(target, firstLayer, cancellationToken),
                    equivalenceKey: nameof(StandardizeCodeFix)),
                diagnostic);
        }
    }

    private static AttributeSyntax? FirstLayer(INamedTypeSymbol type, CancellationToken cancellationToken) => type.GetAttributes()
        .Where(attribute => IsLayer(attribute.AttributeClass))
        .Select(attribute => attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken))
        .OfType<AttributeSyntax>()
        .FirstOrDefault();

    private static bool IsLayer(INamedTypeSymbol? attributeClass)
    {
        for (var type = attributeClass?.BaseType; type is not null; type = type.BaseType)
        {
            if (type.ToDisplayString() == LayerBase)
            {
                return true;
            }
        }

        return false;
    }

    private static async Task<Solution> InsertAsync(Document document, AttributeSyntax firstLayer, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || firstLayer.Parent is not AttributeListSyntax list)
        {
            return document.Project.Solution;
        }

        var standardize = SyntaxFactory.Attribute(firstLayer.Name.WithRightmostIdentifier("Standardize").WithoutTrivia());
        SyntaxNode updated;
        if (list.Attributes.IndexOf(firstLayer) is var index and > 0)
        {
            updated = root.ReplaceNode(list, InsertInto(list, index, standardize));
        }
        else
        {
            // Tokens without elastic trivia, so the code action's cleanup leaves the user's layout alone.
            var newList = SyntaxFactory.AttributeList(
                Token(SyntaxKind.OpenBracketToken), target: null, SyntaxFactory.SingletonSeparatedList(standardize), Token(SyntaxKind.CloseBracketToken));
            updated = root.ReplaceNode(list, StartsLine(list)
                ? new[] { newList.WithLeadingTrivia(list.GetLeadingTrivia()).WithTrailingTrivia(EndOfLine(list)), list.WithLeadingTrivia(Indentation(list)) }
                : new[] { newList.WithLeadingTrivia(list.GetLeadingTrivia()).WithTrailingTrivia(SyntaxFactory.Space), list.WithLeadingTrivia() });
        }

        return document.WithSyntaxRoot(updated).Project.Solution;
    }

    /// <summary><c>[Model(3), Dense(10)]</c> → <c>[Model(3), Standardize, Dense(10)]</c>.</summary>
    private static AttributeListSyntax InsertInto(AttributeListSyntax list, int index, AttributeSyntax standardize)
    {
        var items = list.Attributes.GetWithSeparators();
        var position = items.IndexOf(list.Attributes[index]);
        items = items.InsertRange(position, new SyntaxNodeOrToken[]
        {
            standardize.WithLeadingTrivia(list.Attributes[index].GetLeadingTrivia()),
            Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space),
        });
        items = items.Replace(items[position + 2], list.Attributes[index].WithLeadingTrivia());
        return list.WithAttributes(SyntaxFactory.SeparatedList<AttributeSyntax>(items));
    }

    private static SyntaxToken Token(SyntaxKind kind) => SyntaxFactory.Token(SyntaxFactory.TriviaList(), kind, SyntaxFactory.TriviaList());

    private static bool StartsLine(AttributeListSyntax list) =>
        list.GetFirstToken().GetPreviousToken() is var previous
        && (previous.IsKind(SyntaxKind.None) || previous.TrailingTrivia.Any(trivia => trivia.IsKind(SyntaxKind.EndOfLineTrivia)));

    private static SyntaxTriviaList Indentation(AttributeListSyntax list) =>
        list.GetLeadingTrivia().LastOrDefault() is var last && last.IsKind(SyntaxKind.WhitespaceTrivia)
            ? SyntaxFactory.TriviaList(last)
            : SyntaxFactory.TriviaList();

    private static SyntaxTrivia EndOfLine(AttributeListSyntax list) =>
        list.GetFirstToken().GetPreviousToken().TrailingTrivia.FirstOrDefault(trivia => trivia.IsKind(SyntaxKind.EndOfLineTrivia)) is var eol
        && eol.IsKind(SyntaxKind.EndOfLineTrivia)
            ? eol
            : SyntaxFactory.EndOfLine("\n");
}

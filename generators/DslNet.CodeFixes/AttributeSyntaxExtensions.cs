using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace DslNet.CodeFixes;

/// <summary>Finding and renaming DslNet attributes in syntax, keeping the user's qualification and trivia.</summary>
internal static class AttributeSyntaxExtensions
{
    /// <summary>The attribute that contains the diagnostic's span (the attribute itself or one of its arguments).</summary>
    public static AttributeSyntax? AttributeAt(this SyntaxNode root, TextSpan span) =>
        root.FindNode(span, getInnermostNodeForTie: true).FirstAncestorOrSelf<AttributeSyntax>();

    /// <summary>Whether <paramref name="attribute"/> is written as <c>[<paramref name="name"/>]</c> or <c>[<paramref name="name"/>Attribute]</c>, qualified or not.</summary>
    public static bool Is(this AttributeSyntax attribute, string name) =>
        attribute.Name.RightmostName().Identifier.ValueText is var written && (written == name || written == name + "Attribute");

    /// <summary>
    /// Whether the diagnostic reported at <paramref name="attribute"/> is about a layer inside a residual unit
    /// (<c>[Residual]</c>): a fix written for the layer's own attribute does not apply to the unit's.
    /// </summary>
    public static bool IsResidualUnit(this AttributeSyntax attribute) => attribute.Is("Residual");

    /// <summary>Whether <paramref name="attribute"/> is a <c>[Residual(typeof(B))]</c>: its layers are declared on the block.</summary>
    public static bool IsBlockUnit(this AttributeSyntax attribute) =>
        attribute.IsResidualUnit() && attribute.ArgumentList?.Arguments.FirstOrDefault() is { NameEquals: null, Expression: TypeOfExpressionSyntax };

    /// <summary>The name as written without qualifier: <c>Dropout</c> in <c>DslNet.Dropout</c>.</summary>
    public static SimpleNameSyntax RightmostName(this NameSyntax name) => name switch
    {
        QualifiedNameSyntax qualified => qualified.Right,
        AliasQualifiedNameSyntax alias => alias.Name,
        _ => (SimpleNameSyntax)name,
    };

    /// <summary><paramref name="name"/> with its last identifier replaced, e.g. <c>DslNet.Dense</c> → <c>DslNet.Standardize</c>.</summary>
    public static NameSyntax WithRightmostIdentifier(this NameSyntax name, string identifier)
    {
        var right = name.RightmostName();
        var replacement = SyntaxFactory.IdentifierName(
            SyntaxFactory.Identifier(right.Identifier.LeadingTrivia, identifier, right.Identifier.TrailingTrivia));
        return name.ReplaceNode(right, replacement);
    }

    /// <summary>The named argument <c><paramref name="name"/> = …</c> of <paramref name="attribute"/>, or null.</summary>
    public static AttributeArgumentSyntax? NamedArgument(this AttributeSyntax attribute, string name) =>
        attribute.ArgumentList?.Arguments.FirstOrDefault(argument => argument.NameEquals?.Name.Identifier.ValueText == name);

    /// <summary>
    /// <paramref name="attribute"/> with <c><paramref name="name"/> = <paramref name="value"/></c>: the existing named
    /// argument's value replaced (keeping its trivia), else the argument added last.
    /// </summary>
    public static AttributeSyntax WithNamedArgument(this AttributeSyntax attribute, string name, ExpressionSyntax value)
    {
        if (attribute.NamedArgument(name) is { } existing)
        {
            return attribute.ReplaceNode(existing.Expression, value.WithTriviaFrom(existing.Expression));
        }

        var argument = SyntaxFactory.AttributeArgument(
            SyntaxFactory.NameEquals(
                SyntaxFactory.IdentifierName(name),
                SyntaxFactory.Token(SyntaxFactory.TriviaList(SyntaxFactory.Space), SyntaxKind.EqualsToken, SyntaxFactory.TriviaList(SyntaxFactory.Space))),
            nameColon: null,
            value);
        return attribute.WithArgumentList(attribute.ArgumentList.Append(argument));
    }

    /// <summary>The argument list with <paramref name="argument"/> added last (a new list when there is none).</summary>
    public static AttributeArgumentListSyntax Append(this AttributeArgumentListSyntax? list, AttributeArgumentSyntax argument)
    {
        if (list is null || list.Arguments.Count == 0)
        {
            return SyntaxFactory.AttributeArgumentList(SyntaxFactory.SingletonSeparatedList(argument))
                .WithTriviaFrom(list ?? SyntaxFactory.AttributeArgumentList());
        }

        var items = list.Arguments.GetWithSeparators()
            .Add(SyntaxFactory.Token(SyntaxFactory.TriviaList(), SyntaxKind.CommaToken, SyntaxFactory.TriviaList(SyntaxFactory.Space)))
            .Add(argument);
        return list.WithArguments(SyntaxFactory.SeparatedList<AttributeArgumentSyntax>(items));
    }
}

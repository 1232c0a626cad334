using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using DslNet.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace DslNet.Generators.Analyzer;

/// <summary>
/// Turns a <see cref="DiagnosticSite"/> into a source location: the argument at fault when it is written, else the
/// attribute, else the identifier of the class declaration that carries [Model].
/// </summary>
internal sealed class SiteLocator
{
    private readonly INamedTypeSymbol type;
    private readonly ImmutableArray<AttributeData> attributes;
    private readonly AttributeData model;
    private readonly CancellationToken cancellationToken;

    public SiteLocator(INamedTypeSymbol type, ImmutableArray<AttributeData> attributes, AttributeData model, CancellationToken cancellationToken)
    {
        this.type = type;
        this.attributes = attributes;
        this.model = model;
        this.cancellationToken = cancellationToken;
    }

    public Location Locate(DiagnosticSite site)
    {
        if (site.AttributeIndex >= 0 && site.AttributeIndex < attributes.Length && SyntaxOf(attributes[site.AttributeIndex]) is { } attribute)
        {
            return ArgumentSpan(attribute, attributes[site.AttributeIndex], site) is { } span
                ? Location.Create(attribute.SyntaxTree, span)
                : attribute.GetLocation();
        }

        return ClassIdentifier();
    }

    private Location ClassIdentifier()
    {
        if (SyntaxOf(model)?.Parent?.Parent is BaseTypeDeclarationSyntax declaration)
        {
            return declaration.Identifier.GetLocation();
        }

        return type.Locations.FirstOrDefault(location => location.IsInSource) ?? Location.None;
    }

    private AttributeSyntax? SyntaxOf(AttributeData attribute) => attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;

    private static TextSpan? ArgumentSpan(AttributeSyntax attribute, AttributeData data, DiagnosticSite site)
    {
        var arguments = attribute.ArgumentList?.Arguments ?? default;
        if (site.ArgumentName is { } name)
        {
            return arguments.FirstOrDefault(argument => argument.NameEquals?.Name.Identifier.ValueText == name)?.Span;
        }

        if (site.ArgumentPosition < 0)
        {
            return null;
        }

        var parameters = data.AttributeConstructor?.Parameters ?? ImmutableArray<IParameterSymbol>.Empty;
        if (site.ArgumentPosition < parameters.Length)
        {
            var parameter = parameters[site.ArgumentPosition];
            var byName = arguments.FirstOrDefault(argument => argument.NameColon?.Name.Identifier.ValueText == parameter.Name);
            if (byName is not null)
            {
                return byName.Span;
            }
        }

        var positional = arguments.Where(argument => argument.NameEquals is null && argument.NameColon is null).ToList();
        if (site.ArgumentPosition >= positional.Count)
        {
            return null;
        }

        // A params array written as a list (Model(3, 0, 32)) spans all its elements.
        var isParams = site.ArgumentPosition == parameters.Length - 1 && parameters[site.ArgumentPosition].IsParams;
        var last = isParams ? positional[positional.Count - 1] : positional[site.ArgumentPosition];
        return TextSpan.FromBounds(positional[site.ArgumentPosition].SpanStart, last.Span.End);
    }
}

using System.Linq;
using DslNet.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DslNet.Generators.Analyzer;

/// <summary>
/// DSL212: DslNet layer attributes on a type without <c>[Model]</c>. Nothing is generated for such a type, so without
/// this warning the attributes are silently ignored and the first sign is a missing <c>Fit</c>.
/// </summary>
internal static class MissingModelRule
{
    private const string LayerAttributeName = "DslNet.LayerAttribute";

    /// <summary>Reports DSL212 once per type, on its first layer attribute, when the type has layer attributes but no [Model].</summary>
    public static void Check(SymbolAnalysisContext context, INamedTypeSymbol type)
    {
        var layerBase = context.Compilation.GetTypeByMetadataName(LayerAttributeName);
        if (layerBase is null)
        {
            return;
        }

        // A [Block] class holds layer attributes for the residual units that name it.
        if (type.GetAttributes().Any(attribute => Parsing.ModelParser.DslAttributeName(attribute) == "BlockAttribute"))
        {
            return;
        }

        var layers = type.GetAttributes().Where(attribute => DerivesFrom(attribute.AttributeClass, layerBase)).ToList();
        if (layers.Count == 0 || layers[0].ApplicationSyntaxReference is not { } reference)
        {
            return;
        }

        var names = string.Join(", ", layers.Select(attribute => "[" + attribute.AttributeClass!.Name.Replace("Attribute", string.Empty) + "]").Distinct());
        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.LayerAttributesWithoutModel,
            Location.Create(reference.SyntaxTree, reference.Span),
            type.Name,
            names));
    }

    private static bool DerivesFrom(INamedTypeSymbol? type, INamedTypeSymbol baseType)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, baseType))
            {
                return true;
            }
        }

        return false;
    }
}

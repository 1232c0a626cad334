using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using DslNet.Generators.Helpers;
using DslNet.Generators.Model;
using Microsoft.CodeAnalysis;

namespace DslNet.Generators.Parsing;

/// <summary>
/// Reads [Reuse(typeof(A), Layers = n)]: parses the source model A (from this compilation's syntax or from a referenced
/// assembly's metadata) and takes its first n summary rows as plain layer specs, so the reusing model's spec holds
/// values, not symbols. Checks DSL007 (what cannot be reused) and DSL213 (the reuse takes the source's output layer).
/// </summary>
internal static class ReuseReader
{
    /// <summary>How many models deep a chain of reuses may go (A reuses B reuses C …); deeper is treated as a cycle.</summary>
    private const int MaxDepth = 8;

    public static (ReuseSpec? Spec, List<LayerSpec> Layers) Read(
        INamedTypeSymbol type, AttributeReader reader, bool first, ImmutableArray<int> inputShape, int depth, CancellationToken cancellationToken, List<DiagnosticInfo> diagnostics)
    {
        var none = (default(ReuseSpec), new List<LayerSpec>());
        var attribute = new DiagnosticSite(reader.Index);
        if (!first)
        {
            diagnostics.Add(Error(attribute, "[Reuse] must be the first layer: the reused layers are the start of the network, fed by its input"));
            return none;
        }

        var sourceSite = new DiagnosticSite(reader.Index, ArgumentPosition: 0);
        if (reader.Positional(0) is not { Kind: TypedConstantKind.Type, Value: INamedTypeSymbol { TypeKind: not TypeKind.Error } source } ||
            !source.GetAttributes().Any(data => ModelParser.DslAttributeName(data) == "ModelAttribute"))
        {
            var name = reader.Positional(0)?.Value is ITypeSymbol named ? named.ToDisplayString() : "the type given";
            diagnostics.Add(Error(sourceSite, $"[Reuse] needs a [Model] class to take layers from, but '{name}' is not one"));
            return none;
        }

        if (SymbolEqualityComparer.Default.Equals(source, type) || depth >= MaxDepth)
        {
            diagnostics.Add(Error(sourceSite, $"'{type.Name}' cannot reuse '{source.Name}': the reuse comes back to '{(depth >= MaxDepth ? source.Name : type.Name)}' itself"));
            return none;
        }

        var parsed = ModelParser.Parse(source, cancellationToken, depth + 1);
        if (parsed.Model is not { } model)
        {
            diagnostics.Add(Error(sourceSite, $"'{source.Name}' has errors of its own, so its layers cannot be reused until they are fixed"));
            return none;
        }

        if (!model.InputShape.Equals(inputShape.ToEquatableArray()))
        {
            diagnostics.Add(Error(attribute,
                $"'{source.Name}' takes inputs of shape ({string.Join(", ", model.InputShape)}), this model ({string.Join(", ", inputShape)}); reused layers need the input they were trained on: declare [Model({string.Join(", ", model.InputShape)})]"));
            return none;
        }

        var rows = model.Layers.Sum(NetworkFacts.SummaryRows);
        var outputIndex = IndexOfOutput(model);
        var beforeOutput = model.Layers.Take(outputIndex).Sum(NetworkFacts.SummaryRows);
        var declaredCount = reader.Named("Layers") is not null;
        var count = declaredCount ? reader.Int("Layers", 0) : beforeOutput;
        var layersSite = new DiagnosticSite(reader.Index, "Layers");
        if (count < 1 || count > rows)
        {
            diagnostics.Add(Error(declaredCount ? layersSite : attribute, count < 1 && !declaredCount
                ? $"'{source.Name}' has no layers before its output layer to reuse; set Layers to the number of rows to take (1 to {rows})"
                : $"Layers is {count}, but '{source.Name}' has {rows} layers (rows of its Summary, Flatten aside): reuse 1 to {rows}") with
            {
                Suggestion = declaredCount && beforeOutput >= 1 ? Number(beforeOutput) : null,
            });
            return none;
        }

        var taken = new List<LayerSpec>();
        var seen = 0;
        foreach (var layer in model.Layers)
        {
            if (seen == count)
            {
                break;
            }

            var layerRows = NetworkFacts.SummaryRows(layer);
            if (seen + layerRows > count && layer.Kind == LayerKind.Residual)
            {
                diagnostics.Add(Error(layersSite,
                    $"Layers = {count} would split the residual unit '{layer.FieldName}' (rows {seen + 1} to {seen + layerRows} of '{source.Name}''s Summary): a unit is reused whole, main path, shortcut and sum; reuse Layers = {(seen == 0 ? "" : $"{seen} or ")}{seen + layerRows}") with
                {
                    Suggestion = Number(seen + layerRows),
                });
                return none;
            }

            if (seen + layerRows > count)
            {
                diagnostics.Add(Error(layersSite,
                    $"Layers = {count} would split '{layer.FieldName}' from its own batch norm '{layer.FieldName}Norm' ({(layer.Kind == LayerKind.Conv2D ? "Conv2D" : "Dense")}(BatchNorm = true) is one layer of two rows): reuse Layers = {(seen == 0 ? "" : $"{seen} or ")}{seen + layerRows}") with
                {
                    Suggestion = Number(seen + layerRows),
                });
                return none;
            }

            seen += layerRows;
            taken.Add(layer with
            {
                DeclarationIndex = reader.Index,
                Position = 1,
                ReusedFrom = layer.FieldName,
                Frozen = NetworkFacts.HasWeights(layer),
                IsOutput = false,
            });
        }

        if (outputIndex < model.Layers.Count && taken.Count > outputIndex && beforeOutput >= 1)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ReusedOutputLayer, declaredCount ? layersSite : attribute,
                Number(count), source.Name, model.Layers[outputIndex].FieldName, Number(beforeOutput)) with
            {
                Suggestion = declaredCount ? Number(beforeOutput) : null,
            });
        }

        var spec = new ReuseSpec(source.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), source.Name, reader.Index);
        return (spec, taken);
    }

    /// <summary>The index of the source's output layer (its last Dense), or the layer count when it has none.</summary>
    private static int IndexOfOutput(ModelSpec model)
    {
        for (var i = 0; i < model.Layers.Count; i++)
        {
            if (model.Layers[i].IsOutput)
            {
                return i;
            }
        }

        return model.Layers.Count;
    }

    private static string Number(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static DiagnosticInfo Error(DiagnosticSite site, string message) => DiagnosticInfo.Create(DiagnosticDescriptors.InvalidReuse, site, message);
}

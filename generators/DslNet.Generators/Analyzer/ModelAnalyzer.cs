using System.Collections.Immutable;
using System.Linq;
using DslNet.Generators.Model;
using DslNet.Generators.Parsing;
using DslNet.Generators.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DslNet.Generators.Analyzer;

/// <summary>
/// Reports every DslNet diagnostic: the parser's declaration errors (DSL001–DSL007), a redefined generated member (DSL008) and, when the model
/// parses, the training rules (<see cref="ModelRules"/>). The generator reports nothing; it only skips models with errors.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ModelAnalyzer : DiagnosticAnalyzer
{
    private static readonly ImmutableArray<DiagnosticDescriptor> Descriptors = DiagnosticDescriptors.Every.ToImmutableArray();

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => Descriptors;

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var modelAttribute = start.Compilation.GetTypeByMetadataName(ModelParser.ModelAttributeName);
            if (modelAttribute is not null)
            {
                start.RegisterSymbolAction(symbol => Analyze(symbol, modelAttribute), SymbolKind.NamedType);
            }
        });
    }

    private static void Analyze(SymbolAnalysisContext context, INamedTypeSymbol modelAttribute)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        var attributes = type.GetAttributes();
        var model = attributes.FirstOrDefault(attribute => SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, modelAttribute));
        if (model is null)
        {
            MissingModelRule.Check(context, type);
            return;
        }

        GeneratedMemberRule.Check(context, type);
        var parsed = ModelParser.Parse(type, context.CancellationToken);
        var rules = parsed.Model is null ? Enumerable.Empty<DiagnosticInfo>() : ModelRules.Check(parsed.Model)
            .Where(rule => parsed.Model.Reuse is not { } reuse || rule.Site.AttributeIndex != reuse.DeclarationIndex); // the source reports its own layers' faults
        var diagnostics = parsed.Diagnostics.Concat(rules).Distinct();
        var locator = new SiteLocator(type, attributes, model, context.CancellationToken);
        foreach (var info in diagnostics)
        {
            var properties = info.Suggestion is null
                ? ImmutableDictionary<string, string?>.Empty
                : ImmutableDictionary<string, string?>.Empty.Add(SuggestionKey, info.Suggestion);
            context.ReportDiagnostic(Diagnostic.Create(
                info.Descriptor, locator.Locate(info.Site), info.Severity, additionalLocations: null, properties, info.MessageArgs.ToArray<object?>()));
        }
    }

    /// <summary>The diagnostic property that carries <see cref="DiagnosticInfo.Suggestion"/> to the code fixes.</summary>
    public const string SuggestionKey = "Suggestion";
}

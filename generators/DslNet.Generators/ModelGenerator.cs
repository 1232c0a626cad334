using System.Threading;
using DslNet.Generators.Emitting;
using DslNet.Generators.Model;
using DslNet.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DslNet.Generators;

/// <summary>
/// The DslNet generator: every class marked [Model] becomes a typed TorchSharp module with its training loop.
/// Parse → (value-equatable) ModelSpec → emit <c>M.g.cs</c>. Declarations with errors emit nothing; the analyzers
/// (<see cref="Analyzer.ModelAnalyzer"/>) report why.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ModelGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var models = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                ModelParser.ModelAttributeName,
                predicate: static (node, _) => node is ClassDeclarationSyntax,
                transform: static (context, cancellationToken) => Parse(context.TargetSymbol, cancellationToken))
            .WithTrackingName(TrackingNames.Parse)
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(TrackingNames.Models);

        context.RegisterSourceOutput(models, static (output, model) =>
            output.AddSource(model.QualifiedName + ".g.cs", ModelEmitter.Emit(model)));

        var anyModel = models.Collect()
            .Select(static (all, _) => !all.IsEmpty)
            .WithTrackingName(TrackingNames.AnyModel);
        context.RegisterSourceOutput(anyModel, static (output, any) =>
        {
            if (any)
            {
                output.AddSource("DslNet.ModuleInitializer.g.cs", ModuleInitializerEmitter.Emit());
            }
        });
    }

    private static ModelSpec? Parse(ISymbol symbol, CancellationToken cancellationToken) =>
        symbol is INamedTypeSymbol type ? ModelParser.Parse(type, cancellationToken).Model : null;
}

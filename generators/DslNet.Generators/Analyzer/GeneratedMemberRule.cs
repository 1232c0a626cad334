using System;
using System.Collections.Generic;
using System.Linq;
using DslNet.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DslNet.Generators.Analyzer;

/// <summary>
/// DSL008: a member of a [Model] class, written by the user, that overrides, hides or redeclares a member DslNet
/// generates or trains through. An overridden <c>forward</c> compiles silently and splits the model in two (Fit and
/// Evaluate train through the generated <c>Logits</c>, Predict and <c>call</c> use the override); a redeclared
/// <c>Logits</c>, <c>Summary</c> or <c>Load</c> fails inside the generated file. Reported at the user's member.
/// </summary>
internal static class GeneratedMemberRule
{
    /// <summary>The forward pass: redefining any of these gives the model a second, untrained forward.</summary>
    private static readonly HashSet<string> Forward = new(StringComparer.Ordinal) { "forward", "call", "Logits" };

    /// <summary>Members the generator writes or DslModule trains with; an overload of them is fine, a redefinition is not.</summary>
    private static readonly HashSet<string> Generated = new(StringComparer.Ordinal)
    {
        "Summary", "ParameterCount", "SampleShape", "Load", "FromPretrained", "Freeze", "Unfreeze", "FreezeReused", "UnfreezeReused",
        "PredictMonteCarlo", "PredictMonteCarloWithDeviation", "train", "eval", "Adapt", "Penalty", "ApplyConstraints", "BuildOnnx",
        "Fit", "Evaluate", "Predict", "FindLearningRate", "Save", "ExportOnnx", "Name", "PrintSummary",
    };

    /// <summary>Constants and properties of every generated class: any member of the same name collides.</summary>
    private static readonly HashSet<string> Facts = new(StringComparer.Ordinal) { "Summary", "ParameterCount", "SampleShape" };

    public static void Check(SymbolAnalysisContext context, INamedTypeSymbol type)
    {
        foreach (var member in type.GetMembers())
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            if (member.IsImplicitlyDeclared || !(Forward.Contains(member.Name) || Generated.Contains(member.Name)) ||
                member.Locations.FirstOrDefault(location => location.IsInSource && !IsGenerated(location.SourceTree)) is not { } location)
            {
                continue;
            }

            var verb = Redefinition(type, member);
            if (verb is null)
            {
                continue;
            }

            var advice = Forward.Contains(member.Name)
                ? "Fit and Evaluate train through the generated Logits, so a second forward pass would give Predict a network that was never trained. " +
                  "Declare a skip connection with [Residual(typeof(Block))], and a computation the layer attributes cannot declare as a TorchSharp module of your own, outside the [Model] class"
                : $"remove or rename this member so that DslNet's '{member.Name}' stays the only one";
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.GeneratedMemberRedefined, location, type.Name, verb, member.Name, advice));
        }
    }

    /// <summary>How <paramref name="member"/> redefines a DslNet member ("overrides", "hides", "redeclares"), or null when it does not (an overload).</summary>
    private static string? Redefinition(INamedTypeSymbol type, ISymbol member)
    {
        if (member.IsOverride)
        {
            return "overrides";
        }

        if (HasNewModifier(member) || Inherited(type).Any(inherited => SameSignature(member, inherited)))
        {
            return "hides";
        }

        if (Facts.Contains(member.Name) ||
            type.GetMembers(member.Name).Any(other => !SymbolEqualityComparer.Default.Equals(other, member) &&
                                                      other.Locations.Any(location => IsGenerated(location.SourceTree)) && SameSignature(member, other)))
        {
            return "redeclares";
        }

        return null;
    }

    private static IEnumerable<ISymbol> Inherited(INamedTypeSymbol type)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            foreach (var member in current.GetMembers())
            {
                if (member.DeclaredAccessibility != Accessibility.Private)
                {
                    yield return member;
                }
            }
        }
    }

    private static bool SameSignature(ISymbol member, ISymbol other)
    {
        if (!string.Equals(member.Name, other.Name, StringComparison.Ordinal))
        {
            return false;
        }

        if (member is IMethodSymbol method && other is IMethodSymbol otherMethod)
        {
            return method.Parameters.Length == otherMethod.Parameters.Length &&
                   method.Parameters.Zip(otherMethod.Parameters, (a, b) => SymbolEqualityComparer.Default.Equals(a.Type, b.Type)).All(same => same);
        }

        // A field, property or event hides whatever it shares its name with; a method hides a field or property of its name.
        return true;
    }

    private static bool HasNewModifier(ISymbol member) => member.DeclaringSyntaxReferences
        .Select(reference => reference.GetSyntax())
        .Select(syntax => syntax is VariableDeclaratorSyntax { Parent.Parent: MemberDeclarationSyntax field } ? field : syntax as MemberDeclarationSyntax)
        .Any(declaration => declaration is not null && declaration.Modifiers.Any(SyntaxKind.NewKeyword));

    private static bool IsGenerated(SyntaxTree? tree) => tree is not null && tree.FilePath.EndsWith(".g.cs", StringComparison.OrdinalIgnoreCase);
}

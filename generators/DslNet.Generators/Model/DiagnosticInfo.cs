using DslNet.Generators.Helpers;
using Microsoft.CodeAnalysis;

namespace DslNet.Generators.Model;

/// <summary>
/// Where a diagnostic points, as plain data: an attribute of the model class (by index in the class's attribute
/// list) and optionally one of its arguments (by name for named arguments, else by position). An attribute index
/// of -1 means the class name itself.
/// </summary>
internal sealed record DiagnosticSite(int AttributeIndex, string? ArgumentName = null, int ArgumentPosition = -1)
{
    public static DiagnosticSite ClassName { get; } = new(-1);
}

/// <summary>A diagnostic found by the parser or a rule, before it is given a source location.</summary>
internal sealed record DiagnosticInfo(string Id, DiagnosticSeverity Severity, DiagnosticSite Site, EquatableArray<string> MessageArgs)
{
    public bool IsError => Severity == DiagnosticSeverity.Error;

    /// <summary>The value a code fix writes (e.g. the matching initializer <c>He</c>); null when the fix needs none.</summary>
    public string? Suggestion { get; init; }

    public DiagnosticDescriptor Descriptor => DiagnosticDescriptors.ById(Id);

    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, DiagnosticSite site, params string[] messageArgs) =>
        new(descriptor.Id, descriptor.DefaultSeverity, site, new EquatableArray<string>(messageArgs));
}

using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DslNet.Generators.Tests.Infrastructure;

/// <summary>
/// Builds C# compilations of test sources against the .NET runtime, DslNet (its attributes) and TorchSharp — the
/// references a user project that declares models has.
/// </summary>
public static class CompilationFactory
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyReferences = new(LoadReferences);

    /// <summary>The parse options of every test source (latest C#).</summary>
    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest);

    /// <summary>A library with nullable reference types on, as the repository's projects.</summary>
    public static CSharpCompilationOptions Options { get; } = new(
        OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable);

    /// <summary>The framework's reference assemblies, DslNet and TorchSharp.</summary>
    public static ImmutableArray<MetadataReference> References => LazyReferences.Value;

    /// <summary>A compilation of the given sources, named <c>Source0.cs</c>, <c>Source1.cs</c>, …</summary>
    public static CSharpCompilation Create(params string[] sources) => CSharpCompilation.Create(
        "Tests",
        sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Source{i}.cs")),
        References,
        Options);

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        // The framework assemblies from the trusted platform list (the shared Microsoft.NETCore.App folder only).
        var framework = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(path => path.Contains($"{Path.DirectorySeparatorChar}Microsoft.NETCore.App{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        return framework
            .Append(typeof(ModelAttribute).Assembly.Location)
            .Append(typeof(TorchSharp.torch).Assembly.Location)
            .Distinct()
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
    }
}

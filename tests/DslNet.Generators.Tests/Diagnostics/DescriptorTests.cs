using System.Text.RegularExpressions;
using DslNet.Generators.Analyzer;
using DslNet.Generators.Model;
using Microsoft.CodeAnalysis;
using Xunit;

namespace DslNet.Generators.Tests.Diagnostics;

/// <summary>The descriptors, the analyzer, the release-tracking file and docs/diagnostics.md agree.</summary>
public sealed class DescriptorTests
{
    private static readonly string Root = FindRoot();

    [Fact]
    public void AnalyzerSupportsEveryDescriptor() => Assert.Equal(
        DiagnosticDescriptors.Every.Select(d => d.Id),
        new ModelAnalyzer().SupportedDiagnostics.Select(d => d.Id).OrderBy(id => id, StringComparer.Ordinal));

    [Fact]
    public void EveryDescriptorHasItsHelpAnchor() => Assert.All(DiagnosticDescriptors.Every, descriptor =>
        Assert.Equal(DiagnosticDescriptors.HelpBase + descriptor.Id.ToLowerInvariant(), descriptor.HelpLinkUri));

    [Fact]
    public void ReleaseTrackingListsEveryDescriptorAsDeclared()
    {
        var rows = File.ReadAllLines(Path.Combine(Root, "generators/DslNet.Generators/AnalyzerReleases.Unshipped.md"))
            .Where(line => line.StartsWith("DSL", StringComparison.Ordinal))
            .Select(line => line.Split('|').Select(cell => cell.Trim()).ToArray())
            .ToList();
        Assert.Equal(
            DiagnosticDescriptors.Every.Select(d => $"{d.Id} | {d.Category} | {d.DefaultSeverity} | {d.Title}"),
            rows.Select(row => string.Join(" | ", row)));
    }

    [Fact]
    public void DocsHaveOneSectionPerRule()
    {
        var docs = File.ReadAllText(Path.Combine(Root, "docs/diagnostics.md"));
        var anchors = Regex.Matches(docs, "<a id=\"(dsl\\d{3})\"></a>").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(DiagnosticDescriptors.Every.Select(d => d.Id.ToLowerInvariant()), anchors);
        foreach (var descriptor in DiagnosticDescriptors.Every)
        {
            Assert.Contains($"## {descriptor.Id}: {descriptor.Title}", docs, StringComparison.Ordinal);
            Assert.Contains($"| [{descriptor.Id}](#{descriptor.Id.ToLowerInvariant()}) |", docs, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void DefaultSeveritiesAreErrorsForWhatCannotBeBuilt() => Assert.All(DiagnosticDescriptors.Every, descriptor =>
        Assert.Equal(descriptor.Id.StartsWith("DSL0", StringComparison.Ordinal) ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning, descriptor.DefaultSeverity));

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "DslNet.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("DslNet.sln not found above " + AppContext.BaseDirectory);
    }
}

using System.Reflection;
using System.Text.RegularExpressions;
using Xunit;

namespace DslNet.Tests.Validation;

/// <summary>The documentation that ships: a README whose links work on a package page, and a complete reference.</summary>
public sealed partial class DocumentationTests
{
    private static readonly string Root = FindRoot();

    [Fact]
    public void TheReadmeLinksOnlyToAbsoluteUrlsAndNamesOnlyFilesThatExist()
    {
        var readme = File.ReadAllText(Path.Combine(Root, "README.md"));
        Assert.DoesNotContain(MarkdownLink().Matches(readme).Select(m => m.Groups[1].Value), target => !target.StartsWith("https://", StringComparison.Ordinal) && !target.StartsWith('#'));
        foreach (var path in new[] { "docs/reference.md", "docs/diagnostics.md", "samples/Cifar10/RESULTS.md", "BENCHMARKS.md" })
        {
            Assert.Contains($"`{path}`", readme, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(Root, path)), $"{path} exists");
        }
    }

    [Fact]
    public void TheReferenceDocumentsEveryFitOption()
    {
        var reference = File.ReadAllText(Path.Combine(Root, "docs/reference.md"));
        var section = reference[reference.IndexOf("## FitOptions", StringComparison.Ordinal)..];
        Assert.All(typeof(FitOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is not null),
            option => Assert.Contains($"| `{option.Name}` |", section, StringComparison.Ordinal));
    }

    [Fact]
    public void TheReferenceDocumentsEveryAttributeAndItsProperties()
    {
        var reference = File.ReadAllText(Path.Combine(Root, "docs/reference.md"));
        var attributes = typeof(ModelAttribute).Assembly.GetExportedTypes().Where(t => t.IsSubclassOf(typeof(Attribute)) && !t.IsAbstract).ToList();
        Assert.NotEmpty(attributes);
        foreach (var attribute in attributes)
        {
            var name = attribute.Name[..^"Attribute".Length];
            Assert.Contains($"`[{name}", reference, StringComparison.Ordinal);
            foreach (var property in attribute.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.DeclaringType != typeof(Attribute)))
            {
                // Constructor arguments are documented by their parameter name, settable properties by their own.
                var parameters = attribute.GetConstructors().SelectMany(c => c.GetParameters()).Select(p => p.Name!);
                var documented = property.SetMethod is not null
                    ? reference.Contains($"`{property.Name}`", StringComparison.Ordinal)
                    : parameters.Any(p => string.Equals(p, property.Name, StringComparison.OrdinalIgnoreCase) && reference.Contains($"`{p}`", StringComparison.Ordinal));
                Assert.True(documented, $"docs/reference.md documents {name}.{property.Name}");
            }
        }
    }

    [GeneratedRegex(@"\]\(([^)]+)\)")]
    private static partial Regex MarkdownLink();

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

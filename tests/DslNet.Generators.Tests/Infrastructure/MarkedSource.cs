using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace DslNet.Generators.Tests.Infrastructure;

/// <summary>An expected diagnostic: its ID and the span it must cover in the unmarked source.</summary>
public sealed record ExpectedDiagnostic(string Id, TextSpan Span);

/// <summary>
/// Test source with expected diagnostics marked in place: <c>{|DSL101:Init = Init.He|}</c> expects DSL101 exactly on
/// <c>Init = Init.He</c>. Marks may nest. <see cref="Text"/> is the source with the marks removed.
/// </summary>
public sealed class MarkedSource
{
    private MarkedSource(string text, IReadOnlyList<ExpectedDiagnostic> expected)
    {
        Text = text;
        Expected = expected;
    }

    /// <summary>The source without marks.</summary>
    public string Text { get; }

    /// <summary>The marked diagnostics, in order of their start.</summary>
    public IReadOnlyList<ExpectedDiagnostic> Expected { get; }

    /// <summary>Strips the marks from <paramref name="marked"/> and records their spans.</summary>
    public static MarkedSource Parse(string marked)
    {
        var text = new StringBuilder();
        var open = new Stack<(string Id, int Start)>();
        var expected = new List<ExpectedDiagnostic>();
        for (var i = 0; i < marked.Length; i++)
        {
            if (marked[i] == '{' && i + 1 < marked.Length && marked[i + 1] == '|')
            {
                var colon = marked.IndexOf(':', i);
                if (colon < 0)
                {
                    throw new FormatException($"Mark at {i} has no ':' after its ID.");
                }

                open.Push((marked.Substring(i + 2, colon - i - 2), text.Length));
                i = colon;
            }
            else if (marked[i] == '|' && i + 1 < marked.Length && marked[i + 1] == '}')
            {
                if (open.Count == 0)
                {
                    throw new FormatException($"'|}}' at {i} closes no mark.");
                }

                var (id, start) = open.Pop();
                expected.Add(new ExpectedDiagnostic(id, TextSpan.FromBounds(start, text.Length)));
                i++;
            }
            else
            {
                text.Append(marked[i]);
            }
        }

        if (open.Count > 0)
        {
            throw new FormatException($"Mark {open.Peek().Id} is never closed.");
        }

        return new MarkedSource(text.ToString(), expected.OrderBy(e => e.Span.Start).ThenBy(e => e.Id, StringComparer.Ordinal).ToList());
    }
}

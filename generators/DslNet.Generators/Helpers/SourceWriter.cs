using System;
using System.Text;

namespace DslNet.Generators.Helpers;

/// <summary>An indented text writer for generated code (4 spaces, '\n' line endings: deterministic on every OS).</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder builder = new();
    private int indent;

    public void Line(string text = "")
    {
        if (text.Length > 0)
        {
            builder.Append(' ', indent * 4);
            builder.Append(text);
        }

        builder.Append('\n');
    }

    public void OpenBlock(string header)
    {
        Line(header);
        Line("{");
        indent++;
    }

    public void CloseBlock(string suffix = "")
    {
        indent--;
        Line("}" + suffix);
    }

    public void Indent() => indent++;

    public void Outdent() => indent = Math.Max(0, indent - 1);

    public override string ToString() => builder.ToString();
}

namespace DslNet.Samples.Chapter11.Reporting;

/// <summary>A plain-text table: a header row, then rows of already formatted cells, the first column left-aligned, the others right-aligned.</summary>
internal sealed class Table
{
    private readonly string[] headers;
    private readonly List<string[]> rows = [];

    public Table(params string[] headers) => this.headers = headers;

    public void Add(params string[] cells)
    {
        if (cells.Length != headers.Length)
        {
            throw new ArgumentException($"A row of this table has {headers.Length} cells, got {cells.Length}.", nameof(cells));
        }

        rows.Add(cells);
    }

    public void Write(TextWriter output)
    {
        var widths = headers.Select((header, column) => rows.Select(row => row[column].Length).Append(header.Length).Max()).ToArray();
        string Line(string[] cells) => "  " + string.Join("  ", cells.Select((cell, column) => column == 0 ? cell.PadRight(widths[column]) : cell.PadLeft(widths[column]))).TrimEnd();
        output.WriteLine(Line(headers));
        output.WriteLine("  " + string.Join("  ", widths.Select(width => new string('-', width))));
        foreach (var row in rows)
        {
            output.WriteLine(Line(row));
        }
    }
}

using System.Globalization;
using System.Text;

namespace DslNet.IO;

/// <summary>Small numeric CSV tables: invariant culture, one header row, values written so they read back exactly.</summary>
internal static class CsvTable
{
    public static void Write(string path, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<double>> rows)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var text = new StringBuilder();
        text.AppendJoin(',', header).Append('\n');
        foreach (var row in rows)
        {
            text.AppendJoin(',', row.Select(v => v.ToString("R", CultureInfo.InvariantCulture))).Append('\n');
        }

        AtomicFile.WriteAllText(path, text.ToString());
    }

    public static List<double[]> Read(string path, IReadOnlyList<string> header)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var lines = File.ReadAllLines(path);
        var expected = string.Join(',', header);
        if (lines.Length == 0 || lines[0].Trim() != expected)
        {
            throw new InvalidDataException($"{path}: expected the header '{expected}' on the first line. Is this a file written by DslNet?");
        }

        var rows = new List<double[]>();
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }

            var cells = lines[i].Split(',');
            if (cells.Length != header.Count)
            {
                throw new InvalidDataException($"{path}, line {i + 1}: expected {header.Count} values, found {cells.Length}.");
            }

            rows.Add(cells.Select(c => double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
                ? v
                : throw new InvalidDataException($"{path}, line {i + 1}: '{c}' is not a number.")).ToArray());
        }

        return rows;
    }
}

using System.Globalization;
using System.Text;

namespace DslNet.Generators.Emitting;

/// <summary>C# literals and names, the same on every machine (invariant culture).</summary>
internal static class Literals
{
    public const string Tensor = "global::TorchSharp.torch.Tensor";
    public const string Functional = "global::TorchSharp.torch.nn.functional";

    public static string Double(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture).Replace("E", "e");
        return text.IndexOfAny(new[] { '.', 'e', 'N', 'I' }) >= 0 ? text : text + ".0";
    }

    public static string Bool(bool value) => value ? "true" : "false";

    public static string Thousands(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string String(string value)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in value)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ => c.ToString(),
            });
        }

        return builder.Append('"').ToString();
    }
}

using System;
using System.Collections.Generic;
using System.Linq;

namespace DslNet.Generators.Model;

/// <summary>Declared values as messages show them: invariant culture, round-trip doubles, C#'s true/false, lists in brackets.</summary>
internal static class ValueText
{
    public static string Format(object value) => value switch
    {
        double d when double.IsNaN(d) => "NaN",
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IEnumerable<int> ints => "[" + string.Join(", ", ints) + "]",
        IEnumerable<double> doubles => "[" + string.Join(", ", doubles.Select(d => Format(d))) + "]",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "null",
    };
}

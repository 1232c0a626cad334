using System.Globalization;

namespace DslNet.Samples.Chapter11.Reporting;

/// <summary>Invariant-culture formatting for the tables.</summary>
internal static class Numbers
{
    public static string Fixed(double value, int decimals = 4) =>
        double.IsNaN(value) ? "NaN" : value.ToString("F" + decimals, CultureInfo.InvariantCulture);

    /// <summary>Three significant digits, switching to scientific notation for very small or large values.</summary>
    public static string Short(double value) =>
        double.IsNaN(value) ? "NaN" : double.IsInfinity(value) ? (value > 0 ? "inf" : "-inf") : value.ToString("G3", CultureInfo.InvariantCulture);

    public static string Percent(double fraction) => (fraction * 100).ToString("F1", CultureInfo.InvariantCulture) + "%";

    public static string Milliseconds(TimeSpan time) => time.TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture) + " ms";

    public static string Seconds(double seconds) => seconds.ToString("F2", CultureInfo.InvariantCulture) + " s";
}

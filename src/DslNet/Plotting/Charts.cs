using DslNet.IO;
using ScottPlot;

namespace DslNet.Plotting;

/// <summary>The PNG charts DslNet writes (ScottPlot; atomic writes).</summary>
internal static class Charts
{
    /// <summary>One curve: a name and its points (NaN points are left out).</summary>
    public sealed record Curve(string Name, double[] X, double[] Y);

    /// <summary>Side-by-side panels, each with its curves, a title and axis labels.</summary>
    /// <param name="Title">The panel's title.</param>
    /// <param name="XLabel">The x axis label.</param>
    /// <param name="YLabel">The y axis label.</param>
    /// <param name="Curves">The curves drawn.</param>
    /// <param name="LogX">Plot x on a log10 scale.</param>
    /// <param name="YRange">Fixed y limits (e.g. to keep a diverging tail from flattening the curve); null = automatic.</param>
    /// <param name="ReferenceY">A horizontal reference line (e.g. the minimum loss); null = none.</param>
    public sealed record Panel(
        string Title, string XLabel, string YLabel, IReadOnlyList<Curve> Curves, bool LogX = false, (double Min, double Max)? YRange = null, double? ReferenceY = null);

    public static void SavePng(string path, IReadOnlyList<Panel> panels, int width, int height)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var multiplot = new Multiplot();
        multiplot.AddPlots(panels.Count);
        for (var i = 0; i < panels.Count; i++)
        {
            Draw(multiplot.GetPlot(i), panels[i]);
        }

        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        AtomicFile.Write(path, temporary => multiplot.SavePng(temporary, width, height));
    }

    private static void Draw(Plot plot, Panel panel)
    {
        plot.Title(panel.Title);
        plot.XLabel(panel.XLabel);
        plot.YLabel(panel.YLabel);
        foreach (var curve in panel.Curves)
        {
            var points = curve.X.Zip(curve.Y).Where(p => double.IsFinite(p.First) && double.IsFinite(p.Second) && (!panel.LogX || p.First > 0)).ToArray();
            if (points.Length == 0)
            {
                continue;
            }

            var xs = points.Select(p => panel.LogX ? Math.Log10(p.First) : p.First).ToArray();
            var scatter = plot.Add.Scatter(xs, points.Select(p => p.Second).ToArray());
            scatter.LegendText = curve.Name;
            scatter.MarkerSize = points.Length > 60 ? 0 : 4;
        }

        if (panel.LogX)
        {
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
            {
                MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
                IntegerTicksOnly = true,
                LabelFormatter = exponent => $"1e{exponent:0}",
            };
        }

        if (panel.ReferenceY is double reference)
        {
            plot.Add.HorizontalLine(reference, color: Colors.Black);
        }

        if (panel.YRange is var (min, max) && max > min)
        {
            plot.Axes.SetLimitsY(min, max);
        }

        if (panel.Curves.Count > 1)
        {
            plot.ShowLegend();
        }
    }
}

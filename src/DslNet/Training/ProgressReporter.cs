using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace DslNet.Training;

/// <summary>
/// Keras-like progress: "Epoch 3/100", then "1407/1407 [==============================] - 12s 9ms/step - loss: 1.9000 - …".
/// On an interactive console the bar is redrawn in place (at most ten times a second); when the output is redirected
/// or is another writer, one line per epoch.
/// </summary>
internal sealed class ProgressReporter
{
    private const int BarWidth = 30;
    private static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(100);
    private readonly TextWriter? output;
    private readonly bool interactive;
    private readonly int epochs;
    private readonly int steps;
    private readonly Stopwatch sinceRedraw = new();
    private int drawnLength;

    public ProgressReporter(TrainingSettings settings, int steps)
    {
        output = settings.Options.Progress ? settings.Options.Output ?? Console.Out : null;
        interactive = settings.Options.Progress && settings.Options.Output is null && !Console.IsOutputRedirected;
        epochs = settings.Epochs;
        this.steps = steps;
    }

    /// <summary>Whether the caller should compute metrics for <see cref="Update"/> at this step (a cheap check).</summary>
    public bool WantsUpdate(int step) => interactive && (step == 1 || sinceRedraw.Elapsed >= RedrawInterval);

    /// <summary>Starts an epoch: "Epoch 3/100", or another <paramref name="label"/> (the learning-rate finder names itself).</summary>
    public void BeginEpoch(int epoch, int? totalEpochs = null, string label = "Epoch")
    {
        output?.WriteLine($"{label} {epoch}/{totalEpochs ?? epochs}");
        drawnLength = 0;
        sinceRedraw.Restart();
    }

    /// <summary>Redraws the bar after <paramref name="step"/> batches (interactive consoles only).</summary>
    public void Update(int step, TimeSpan elapsed, IEnumerable<(string Name, double Value)> metrics)
    {
        if (!interactive || output is null)
        {
            return;
        }

        var remaining = TimeSpan.FromTicks(elapsed.Ticks / Math.Max(step, 1) * (steps - step));
        // Redrawn in place with '\r', so it must stay on one row: shortened to the terminal's width.
        var line = FitWidth(Line(step, $" - ETA: {Duration(remaining)}", metrics), truncate: true);
        output.Write("\r" + line.PadRight(drawnLength));
        output.Flush();
        drawnLength = line.Length;
        sinceRedraw.Restart();
    }

    /// <summary>The epoch's final line: the full bar, time per epoch and per step, and the epoch's metrics.</summary>
    public void EndEpoch(int stepsDone, TimeSpan elapsed, IEnumerable<(string Name, double Value)> metrics)
    {
        if (output is null)
        {
            return;
        }

        var perStep = elapsed.TotalSeconds / Math.Max(stepsDone, 1);
        var line = Line(stepsDone, $" - {Duration(elapsed)} {PerStep(perStep)}", metrics);
        line = interactive ? FitWidth(line, truncate: false) : line;
        output.WriteLine(interactive ? "\r" + line.PadRight(drawnLength) : line);
        output.Flush();
        drawnLength = 0;
    }

    public void Message(string message) => output?.WriteLine(message);

    /// <summary>Keras' number format: 4 decimals, or scientific notation for magnitudes up to 1e-3.</summary>
    public static string Format(double value) =>
        Math.Abs(value) > 1e-3 || double.IsNaN(value) || double.IsInfinity(value)
            ? value.ToString("0.0000", CultureInfo.InvariantCulture)
            : value.ToString("0.0000e+00", CultureInfo.InvariantCulture);

    private string Line(int step, string timing, IEnumerable<(string Name, double Value)> metrics)
    {
        var digits = steps.ToString(CultureInfo.InvariantCulture).Length;
        var text = new StringBuilder();
        text.Append(step.ToString(CultureInfo.InvariantCulture).PadLeft(digits)).Append('/').Append(steps).Append(' ').Append(Bar(step)).Append(timing);
        foreach (var (name, value) in metrics)
        {
            if (!double.IsNaN(value) || name == "loss")
            {
                text.Append(" - ").Append(name).Append(": ").Append(Format(value));
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// On an interactive console, a line wider than the terminal loses its bar first (the counts stay); an in-place
    /// line (<paramref name="truncate"/>) is then cut at the width, while an epoch's final line keeps every metric.
    /// </summary>
    private static string FitWidth(string line, bool truncate)
    {
        var width = TerminalWidth() - 1;
        if (width <= 0 || line.Length <= width)
        {
            return line;
        }

        var bar = line.IndexOf(" [", StringComparison.Ordinal);
        var end = line.IndexOf(']', Math.Max(bar, 0));
        if (bar >= 0 && end > bar)
        {
            line = line.Remove(bar, end - bar + 1);
        }

        return truncate && line.Length > width ? line[..width] : line;
    }

    private static int TerminalWidth()
    {
        try
        {
            return Console.WindowWidth;
        }
        catch (Exception error) when (error is IOException or PlatformNotSupportedException or InvalidOperationException)
        {
            return 0;
        }
    }

    private string Bar(int step)
    {
        var filled = (int)(BarWidth * (long)step / Math.Max(steps, 1));
        var bar = new StringBuilder("[");
        if (filled > 0)
        {
            bar.Append('=', filled - 1).Append(step < steps ? '>' : '=');
        }

        return bar.Append('.', BarWidth - filled).Append(']').ToString();
    }

    private static string Duration(TimeSpan time) =>
        time.TotalSeconds >= 3600 ? $"{(int)time.TotalHours}:{time:mm\\:ss}"
        : time.TotalSeconds >= 60 ? $"{(int)time.TotalMinutes}:{time:ss}"
        : $"{time.TotalSeconds:0}s";

    private static string PerStep(double seconds) =>
        seconds >= 1 ? $"{seconds:0}s/step"
        : seconds >= 1e-3 ? $"{seconds * 1e3:0}ms/step"
        : $"{seconds * 1e6:0}us/step";
}

namespace DslNet.Data;

/// <summary>
/// A one-line progress bar for a download: redrawn in place on a terminal, or printed every 10% when the output is a
/// log (redirected), so that logs stay readable.
/// </summary>
internal sealed class DownloadProgress(TextWriter output, string name, long? totalBytes, bool inPlace)
{
    private const int BarWidth = 30;
    private int lastStep = -1;

    /// <summary>A progress bar on standard error (redrawn in place unless standard error is redirected), or on <paramref name="output"/>.</summary>
    public static DownloadProgress For(TextWriter? output, string name, long? totalBytes) =>
        output is null
            ? new DownloadProgress(Console.Error, name, totalBytes, inPlace: !Console.IsErrorRedirected)
            : new DownloadProgress(output, name, totalBytes, inPlace: false);

    /// <summary>Reports that <paramref name="bytes"/> have arrived so far.</summary>
    public void Report(long bytes)
    {
        var step = totalBytes is > 0 ? (int)(100 * Math.Min(bytes, totalBytes.Value) / totalBytes.Value) : (int)(bytes >> 24);
        var stepSize = inPlace ? 1 : 10;
        if (step / stepSize == lastStep / stepSize && lastStep >= 0)
        {
            return;
        }

        lastStep = step;
        var line = Line(bytes);
        if (inPlace)
        {
            output.Write("\r" + line);
        }
        else
        {
            output.WriteLine(line);
        }

        output.Flush();
    }

    /// <summary>Ends the line after the last report.</summary>
    public void Complete(long bytes)
    {
        lastStep = -1;
        var line = Line(bytes) + " done";
        output.WriteLine(inPlace ? "\r" + line : line);
        output.Flush();
    }

    private string Line(long bytes)
    {
        var received = Megabytes(bytes);
        if (totalBytes is not > 0)
        {
            return $"Downloading {name}: {received} MB";
        }

        var fraction = Math.Min(1.0, (double)bytes / totalBytes.Value);
        var filled = (int)Math.Round(fraction * BarWidth);
        return $"Downloading {name} [{new string('=', filled)}{new string(' ', BarWidth - filled)}] {(int)(fraction * 100),3}% {received}/{Megabytes(totalBytes.Value)} MB";
    }

    private static string Megabytes(long bytes) => (bytes / 1e6).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
}

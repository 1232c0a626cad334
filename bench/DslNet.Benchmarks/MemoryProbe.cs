using System.Diagnostics;

namespace DslNet.Benchmarks;

/// <summary>The process's working set, and a progress writer that records it at the end of every epoch of a <c>Fit</c> call.</summary>
internal sealed class MemoryProbe : StringWriter
{
    /// <summary>The working set (MB) after each epoch, in order.</summary>
    public List<double> AfterEpoch { get; } = [];

    public static double WorkingSetMb()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64 / 1048576.0;
    }

    public static double PeakWorkingSetMb()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64 / 1048576.0;
    }

    /// <summary>Fit writes one line per epoch when its output is not the console; the epoch's final line carries "step".</summary>
    public override void WriteLine(string? value)
    {
        if (value is not null && value.Contains("/step", StringComparison.Ordinal))
        {
            AfterEpoch.Add(WorkingSetMb());
        }

        base.WriteLine(value);
    }
}

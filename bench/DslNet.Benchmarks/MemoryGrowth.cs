namespace DslNet.Benchmarks;

/// <summary>Memory across one multi-epoch Fit at batch 32: the working set after each epoch, and the process's peak.</summary>
internal sealed record MemoryGrowth(int Samples, double[] AfterEpoch, double PeakMb)
{
    public double GrowthMb => AfterEpoch[^1] - AfterEpoch[0];

    public static MemoryGrowth Measure(Dataset data, int epochs)
    {
        using var model = new SwishNet();
        using var probe = new MemoryProbe();
        model.Fit(data, null, new FitOptions { Epochs = epochs, BatchSize = 32, Output = probe });
        return new MemoryGrowth(data.Count, [.. probe.AfterEpoch], MemoryProbe.PeakWorkingSetMb());
    }
}

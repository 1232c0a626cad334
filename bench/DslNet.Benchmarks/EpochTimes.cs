using System.Diagnostics;

namespace DslNet.Benchmarks;

/// <summary>The generated Fit and the hand-written loop at one batch size: interleaved epochs after a warm-up epoch each.</summary>
internal sealed record EpochTimes(int BatchSize, double[] Generated, int GeneratedThreads, double[] HandWritten, int HandWrittenThreads)
{
    public double GeneratedMedian => Median(Generated);

    public double HandWrittenMedian => Median(HandWritten);

    public double Ratio => GeneratedMedian / HandWrittenMedian;

    public static EpochTimes Measure(Dataset data, int batchSize, int repeats, TextWriter log)
    {
        using var generated = new SwishNet();
        using var handWritten = new HandWrittenLoop();
        var options = new FitOptions { Epochs = 1, Progress = false, BatchSize = batchSize };
        var generatedTimes = new List<double>();
        var handTimes = new List<double>();
        var threads = 0;
        for (var round = 0; round <= repeats; round++)
        {
            var clock = Stopwatch.StartNew();
            threads = generated.Fit(data, null, options).Threads;
            var fit = clock.Elapsed.TotalSeconds;
            clock.Restart();
            handWritten.TrainEpoch(data, batchSize);
            var hand = clock.Elapsed.TotalSeconds;
            var label = round == 0 ? "warm-up" : $"epoch {round}";
            log.WriteLine($"  batch {batchSize}, {label}: generated Fit {fit:0.00} s ({threads} thread(s)), hand-written {hand:0.00} s");
            if (round > 0)
            {
                generatedTimes.Add(fit);
                handTimes.Add(hand);
            }
        }

        return new EpochTimes(batchSize, [.. generatedTimes], threads, [.. handTimes], TorchSharp.torch.get_num_threads());
    }

    public static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

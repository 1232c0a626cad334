using System.Text;

namespace DslNet.Benchmarks;

/// <summary>Training-step time of the Swish net at one thread and at every core across batch sizes: where more threads start to pay.</summary>
internal static class ThreadSweep
{
    public static string Run(Dataset data, int steps)
    {
        var cores = Environment.ProcessorCount;
        var text = new StringBuilder();
        text.AppendLine($"| batch | batch × parameters | ms per step, 1 thread | ms per step, {cores} threads | faster |");
        text.AppendLine("| ---: | ---: | ---: | ---: | --- |");
        foreach (var batchSize in new[] { 32, 64, 128, 256, 512, 1024 })
        {
            var one = StepProfile.Measure(data, batchSize, 1, steps).Sum();
            var all = StepProfile.Measure(data, batchSize, cores, steps).Sum();
            text.AppendLine($"| {batchSize} | {SwishNet.ParameterCount * batchSize / 1e6:0}M | {one:0.00} | {all:0.00} | {(one <= all ? "1 thread" : $"{cores} threads")} |");
        }

        return text.ToString();
    }
}

using System.Diagnostics;
using System.Text;
using DslNet.Training;

namespace DslNet.Benchmarks;

/// <summary>Epoch time of the generated Fit at every plan it may choose (threads × replicas), across batch sizes.</summary>
internal static class ThreadSweep
{
    public static string Run(Dataset data, int rounds)
    {
        var text = new StringBuilder();
        foreach (var batchSize in new[] { 32, 64, 128, 256, 512 })
        {
            var plans = TrainingThreads.Candidates(TrainingThreads.Available, batchSize, replicable: true);
            var models = plans.Select(_ => new SwishNet()).ToArray();
            var times = plans.Select(_ => new List<double>()).ToArray();
            for (var round = 0; round <= rounds; round++)
            {
                for (var i = 0; i < plans.Length; i++)
                {
                    var clock = Stopwatch.StartNew();
                    models[i].Fit(data, null, new FitOptions { Epochs = 1, Progress = false, BatchSize = batchSize, Threads = plans[i].Threads, Replicas = plans[i].Replicas });
                    if (round > 0)
                    {
                        times[i].Add(clock.Elapsed.TotalSeconds);
                    }
                }
            }

            var line = $"batch {batchSize}: " + string.Join(", ", plans.Select((p, i) => $"{p} {times[i].Min():0.000} s"));
            Console.Error.WriteLine(line);
            text.AppendLine(line);
            foreach (var model in models)
            {
                model.Dispose();
            }
        }

        return text.ToString();
    }
}

using System.Diagnostics;
using DslNet.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace DslNet.Benchmarks;

/// <summary>
/// Where a training step's time goes: the generated model's own step (the members <see cref="TrainingLoop"/> calls:
/// batch gather, zero gradients, logits, loss, reading the loss, backward, optimizer step, accuracy), each phase timed with a
/// stopwatch. CPU tensor operations run synchronously, so a phase's time is its own.
/// </summary>
internal static class StepProfile
{
    public static readonly string[] Phases = ["gather", "zero grad", "forward", "loss", "loss.item", "backward", "optimizer step", "accuracy"];

    /// <summary>Mean milliseconds per phase over <paramref name="steps"/> steps (after 20 warm-up steps), at <paramref name="threads"/> threads.</summary>
    public static double[] Measure(Dataset data, int batchSize, int threads, int steps)
    {
        var previous = get_num_threads();
        set_num_threads(threads);
        try
        {
            using var model = new SwishNet();
            var trainable = (ITrainableModel)model;
            using var optimizer = new Nadam(model.parameters(), 5e-5, epsilon: 1e-7);
            using var generator = new Generator(7);
            using var permutation = randperm(data.Count, generator: generator);
            model.train();
            var totals = new double[Phases.Length];
            var clock = new Stopwatch();
            var warmUp = 20;
            for (var step = 0; step < steps + warmUp; step++)
            {
                using var scope = NewDisposeScope();
                var phase = 0;
                var times = new double[Phases.Length];
                void Lap()
                {
                    times[phase++] = clock.Elapsed.TotalMilliseconds;
                    clock.Restart();
                }

                clock.Restart();
                var start = step * batchSize % (data.Count - batchSize);
                var rows = permutation.narrow(0, start, batchSize);
                var x = data.Features.index_select(0, rows);
                var y = data.Labels.index_select(0, rows);
                Lap();
                optimizer.ZeroGrad();
                Lap();
                var logits = trainable.Logits(x);
                Lap();
                var loss = trainable.DataLoss(logits, y);
                Lap();
                _ = loss.ToDouble();
                Lap();
                loss.backward();
                Lap();
                optimizer.Step();
                Lap();
                using (no_grad())
                {
                    _ = logits.argmax(-1).eq(y).sum();
                }

                Lap();
                if (step >= warmUp)
                {
                    for (var i = 0; i < totals.Length; i++)
                    {
                        totals[i] += times[i];
                    }
                }
            }

            return totals.Select(t => t / steps).ToArray();
        }
        finally
        {
            set_num_threads(previous);
        }
    }
}

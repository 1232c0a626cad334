using System.Diagnostics;
using DslNet.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace DslNet.Benchmarks;

/// <summary>
/// Where a training step's time goes: the generated model's own step (the members <see cref="TrainingLoop"/> calls:
/// batch gather, zero gradients, logits, loss, reading the loss, backward, optimizer step, accuracy), each phase timed with a
/// stopwatch, and for the convolutional networks the hand-written loop's step the same way and what the whole of each
/// (one <c>Fit</c> epoch, one hand-written epoch) takes per step beyond its phases. CPU tensor operations run
/// synchronously, so a phase's time is its own.
/// </summary>
internal static class StepProfile
{
    public static readonly string[] Phases = ["gather", "zero grad", "forward", "loss", "loss.item", "backward", "optimizer step", "accuracy"];

    /// <summary>The Swish net: mean milliseconds per phase over <paramref name="steps"/> steps (after 20 warm-up steps), at <paramref name="threads"/> threads.</summary>
    public static double[] Measure(Dataset data, int batchSize, int threads, int steps)
    {
        using var model = new SwishNet();
        using var optimizer = new Nadam(model.parameters(), 5e-5, epsilon: 1e-7);
        return TorchThreads.Run(threads, () => Generated(model, optimizer, data, batchSize, steps, warmUp: 20));
    }

    /// <summary>
    /// A convolutional network at <paramref name="threads"/> threads, on fresh models: the generated step's phases and the
    /// hand-written one's over one epoch's batches each (after 2 warm-up steps), then one timed epoch of each (<c>Fit</c>
    /// at that thread count, the hand-written loop as raced), in milliseconds per step.
    /// </summary>
    public static CnnProfile Measure(CnnNetwork network, Dataset data, int threads)
    {
        var batchSize = network.BatchSize;
        var steps = (data.Count + batchSize - 1) / batchSize;
        using var model = network.Generated();
        var declared = model.Declaration.Optimizer;
        using var optimizer = DeclaredTraining.CreateOptimizer(declared, model.parameters(), declared.LearningRate);
        using var loop = network.HandWritten();
        double[] generated = [], handWritten = [];
        TorchThreads.Run(threads, () =>
        {
            // As Fit runs its steps: subnormal floats flushed to zero (the hand-written loop runs as raced, without).
            using var flush = SubnormalFlush.Use(true, threads);
            generated = Generated(model, optimizer, data, batchSize, steps, warmUp: 2);
        });
        TorchThreads.Run(threads, () => handWritten = HandWritten(loop, data, batchSize, steps, warmUp: 2));
        var clock = Stopwatch.StartNew();
        model.Fit(data, null, new FitOptions { Epochs = 1, Progress = false, BatchSize = batchSize, Threads = threads });
        var fitStep = clock.Elapsed.TotalMilliseconds / steps;
        clock.Restart();
        loop.TrainEpoch(data, batchSize, threads);
        var loopStep = clock.Elapsed.TotalMilliseconds / steps;
        return new CnnProfile(network, threads, steps, generated, fitStep, handWritten, loopStep);
    }

    /// <summary>Mean milliseconds per phase of the generated model's step members, at the current thread count.</summary>
    private static double[] Generated(DslModule model, Training.Optimizer optimizer, Dataset data, int batchSize, int steps, int warmUp)
    {
        var trainable = (ITrainableModel)model;
        using var generator = new Generator(7);
        using var permutation = randperm(data.Count, generator: generator);
        model.train();
        return Time(data, batchSize, steps, warmUp, permutation, (x, y, lap) =>
        {
            optimizer.ZeroGrad();
            lap();
            var logits = trainable.Logits(x);
            lap();
            var loss = trainable.DataLoss(logits, y);
            lap();
            _ = loss.ToDouble();
            lap();
            loss.backward();
            lap();
            optimizer.Step();
            lap();
            using (no_grad())
            {
                _ = logits.argmax(-1).eq(y).sum();
            }

            lap();
        });
    }

    /// <summary>Mean milliseconds per phase of the hand-written loop's step (it reads neither the loss nor the accuracy: those phases are 0).</summary>
    private static double[] HandWritten(HandWrittenLoop loop, Dataset data, int batchSize, int steps, int warmUp)
    {
        using var generator = new Generator(7);
        using var permutation = randperm(data.Count, generator: generator);
        loop.Model.train();
        return Time(data, batchSize, steps, warmUp, permutation, (x, y, lap) =>
        {
            loop.Optimizer.zero_grad();
            lap();
            var logits = loop.Model.call(x);
            lap();
            var loss = loop.Loss(logits, y);
            lap();
            lap();
            loss.backward();
            lap();
            loop.Optimizer.step();
            lap();
            lap();
        });
    }

    /// <summary>Runs <paramref name="step"/> on full batches of the permutation (one dispose scope each), timing the gather and every phase it laps.</summary>
    private static double[] Time(Dataset data, int batchSize, int steps, int warmUp, Tensor permutation, Action<Tensor, Tensor, Action> step)
    {
        var totals = new double[Phases.Length];
        var clock = new Stopwatch();
        var batches = Math.Max(1, data.Count / batchSize);
        for (var number = 0; number < steps + warmUp; number++)
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
            var rows = permutation.narrow(0, number % batches * (long)batchSize, Math.Min(batchSize, data.Count));
            var x = data.Features.index_select(0, rows);
            var y = data.Labels.index_select(0, rows);
            Lap();
            step(x, y, Lap);
            if (number >= warmUp)
            {
                for (var i = 0; i < totals.Length; i++)
                {
                    totals[i] += times[i];
                }
            }
        }

        return totals.Select(t => t / steps).ToArray();
    }
}

/// <summary>
/// One convolutional network's step profile at one thread count (milliseconds per step): the generated step's phases and a
/// whole <c>Fit</c> epoch per step, the hand-written step's phases and its whole epoch per step. An epoch's time beyond its
/// phases is what its loop adds (<c>Fit</c>: the dispose scope, callbacks, running metrics, its per-call setup; the
/// hand-written loop: its dispose scope and permutation), within the noise of two separate measurements.
/// </summary>
internal sealed record CnnProfile(CnnNetwork Network, int Threads, int Steps, double[] Generated, double FitStep, double[] HandWritten, double HandWrittenStep)
{
    public double FitRest => FitStep - Generated.Sum();

    public double HandWrittenRest => HandWrittenStep - HandWritten.Sum();
}

using System.Diagnostics;
using System.Globalization;
using DslNet;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DslNet.Benchmarks;

/// <summary>The convolutional network of the CIFAR-10 sample's <c>cnn</c> part without its augmentation and schedule, declared with the DSL.</summary>
[Model(3, 32, 32)]
[Conv2D(32, 3, Padding = Padding.Same, UseBias = false, BatchNorm = true, Act = Act.ReLU)]
[MaxPool(2)]
[Conv2D(64, 3, Padding = Padding.Same, UseBias = false, BatchNorm = true, Act = Act.ReLU)]
[MaxPool(2)]
[Conv2D(128, 3, Padding = Padding.Same, UseBias = false, BatchNorm = true, Act = Act.ReLU)]
[MaxPool(2)]
[Conv2D(256, 3, Padding = Padding.Same, UseBias = false, BatchNorm = true, Act = Act.ReLU)]
[GlobalAvgPool]
[Dense(10, Act = Act.Softmax)]
[Sgd(LearningRate = 0.01, Momentum = 0.9, Nesterov = true)]
public partial class BenchConvNet;

/// <summary>
/// <c>-- --cnn [--samples N] [--repeats N] [--threads N] [--batch N]</c>: epochs of the generated <c>Fit</c> of <see cref="BenchConvNet"/>
/// against the same network written by hand in idiomatic TorchSharp (Conv2d without bias, BatchNorm2d with Keras' ε and
/// momentum, ReLU, MaxPool2d, a mean over H and W, Linear; torch's SGD with the same Nesterov momentum; <c>cross_entropy</c>;
/// batches by <c>index_select</c> of a shuffled permutation, one dispose scope per batch), on the same thread count,
/// interleaved in the same run after one warm-up epoch each. Prints a markdown table.
/// </summary>
internal static class CnnBenchmark
{
    public static int Run(string[] args)
    {
        var samples = 4_096;
        var repeats = 3;
        var batchSize = 128;
        var threads = Environment.ProcessorCount;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
            {
                Console.Error.WriteLine($"error: {args[i]} needs a positive whole number, got '{args[i + 1]}'");
                return 2;
            }

            switch (args[i])
            {
                case "--samples": samples = value; break;
                case "--repeats": repeats = value; break;
                case "--threads": threads = value; break;
                case "--batch": batchSize = value; break;
                default:
                    Console.Error.WriteLine($"error: unknown option {args[i]} (--samples, --repeats, --threads, --batch)");
                    return 2;
            }
        }

        var data = RandomCifar.Create(samples, seed: 1);
        torch.set_num_threads(threads);
        using var generated = new BenchConvNet();
        using var handWritten = new HandWrittenCnn();
        var options = new FitOptions { Epochs = 1, Progress = false, BatchSize = batchSize, Threads = threads };
        var generatedTimes = new List<double>();
        var handTimes = new List<double>();
        for (var round = 0; round <= repeats; round++)
        {
            var clock = Stopwatch.StartNew();
            generated.Fit(data, null, options);
            var fit = clock.Elapsed.TotalSeconds;
            clock.Restart();
            handWritten.TrainEpoch(data, batchSize);
            var hand = clock.Elapsed.TotalSeconds;
            Console.Error.WriteLine($"  cnn batch {batchSize}, {(round == 0 ? "warm-up" : $"epoch {round}")}: generated Fit {fit:0.00} s, hand-written {hand:0.00} s ({threads} thread(s))");
            if (round > 0)
            {
                generatedTimes.Add(fit);
                handTimes.Add(hand);
            }
        }

        var (g, h) = (EpochTimes.Median([.. generatedTimes]), EpochTimes.Median([.. handTimes]));
        Console.WriteLine($"| network | samples | batch | threads | generated Fit (median s/epoch) | hand-written (median s/epoch) | ratio |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- |");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| BenchConvNet ({BenchConvNet.ParameterCount:N0} parameters) | {samples:N0} | {batchSize} | {threads} | {g:0.00} | {h:0.00} | {g / h:0.00} |"));
        Console.WriteLine($"epochs: generated [{string.Join(", ", generatedTimes.Select(t => t.ToString("0.00", CultureInfo.InvariantCulture)))}], " +
                          $"hand-written [{string.Join(", ", handTimes.Select(t => t.ToString("0.00", CultureInfo.InvariantCulture)))}]; " + string.Join("; ", Machine.Describe(threads).Select(item => $"{item.Name}: {item.Value}")));
        return 0;
    }

    /// <summary>The hand-written TorchSharp CNN and its training loop.</summary>
    private sealed class HandWrittenCnn : IDisposable
    {
        private readonly Sequential model;
        private readonly optim.Optimizer optimizer;
        private readonly Generator generator = new(42);

        public HandWrittenCnn()
        {
            var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
            var channels = 3L;
            foreach (var (filters, index) in new long[] { 32, 64, 128, 256 }.Select((f, i) => (f, i)))
            {
                layers.Add(($"conv{index + 1}", nn.Conv2d(channels, filters, 3, padding: 1, bias: false)));
                layers.Add(($"norm{index + 1}", nn.BatchNorm2d(filters, eps: 1e-3, momentum: 0.01)));
                layers.Add(($"relu{index + 1}", nn.ReLU()));
                if (index < 3)
                {
                    layers.Add(($"pool{index + 1}", nn.MaxPool2d(2)));
                }

                channels = filters;
            }

            layers.Add(("gap", nn.AdaptiveAvgPool2d(1)));
            layers.Add(("flatten", nn.Flatten()));
            layers.Add(("output", nn.Linear(channels, 10)));
            model = nn.Sequential(layers);
            optimizer = optim.SGD(model.parameters(), 0.01, momentum: 0.9, nesterov: true);
        }

        public void TrainEpoch(Dataset data, int batchSize)
        {
            model.train();
            using var permutation = randperm(data.Count, generator: generator);
            var steps = (data.Count + batchSize - 1) / batchSize;
            for (var step = 0; step < steps; step++)
            {
                using var scope = NewDisposeScope();
                var start = step * batchSize;
                var rows = permutation.narrow(0, start, Math.Min(batchSize, data.Count - start));
                var x = data.Features.index_select(0, rows);
                var y = data.Labels.index_select(0, rows);
                optimizer.zero_grad();
                var loss = nn.functional.cross_entropy(model.call(x), y);
                loss.backward();
                optimizer.step();
            }
        }

        public void Dispose()
        {
            optimizer.Dispose();
            model.Dispose();
            generator.Dispose();
        }
    }
}

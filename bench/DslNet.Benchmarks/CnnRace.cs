using System.Diagnostics;
using DslNet;
using DslNet.Training;
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
/// The convolutional network at batch 128 (issue 12): epochs of the generated <c>Fit</c> of <see cref="BenchConvNet"/>, with its
/// automatic choice and fixed at every thread count it may choose, against the same network written by hand in idiomatic
/// TorchSharp (Conv2d without bias, BatchNorm2d with Keras' ε and momentum, ReLU, MaxPool2d, a mean over H and W, Linear;
/// torch's SGD with the same Nesterov momentum; <c>cross_entropy</c>; batches by <c>index_select</c> of a shuffled
/// permutation, one dispose scope per batch) at each of those thread counts. One warm-up epoch each, then
/// <paramref name="repeats"/> rounds in which every contender trains one epoch in turn, as <see cref="EpochTimes"/>.
/// </summary>
internal sealed record CnnRace(int BatchSize, int Samples, Contender Automatic, string AutomaticPlan,
    IReadOnlyList<(int Threads, Contender Generated, Contender HandWritten)> AtThreads)
{
    public const int DefaultBatchSize = 128;

    public static CnnRace Measure(Dataset data, int batchSize, int repeats, TextWriter log)
    {
        var threadCounts = TrainingThreads.Candidates(TrainingThreads.Available, batchSize, replicable: false).Select(p => p.Threads).Distinct().Order().ToArray();
        var automatic = new Contender("Fit, automatic", []);
        var atThreads = threadCounts.Select(t => (Threads: t, Generated: new Contender($"Fit, {t} thread(s)", []), HandWritten: new Contender($"hand-written, {t} thread(s)", []))).ToArray();
        var models = new List<IDisposable>();
        try
        {
            var automaticModel = new BenchConvNet();
            models.Add(automaticModel);
            var generated = threadCounts.Select(_ => new BenchConvNet()).ToArray();
            models.AddRange(generated);
            var handWritten = threadCounts.Select(_ => new HandWrittenCnn()).ToArray();
            models.AddRange(handWritten);
            var chosen = "";
            for (var round = 0; round <= repeats; round++)
            {
                var line = new List<string>();
                void Time(Contender contender, Action epoch)
                {
                    var clock = Stopwatch.StartNew();
                    epoch();
                    var seconds = clock.Elapsed.TotalSeconds;
                    line.Add($"{contender.Name} {seconds:0.00} s");
                    if (round > 0)
                    {
                        contender.Times.Add(seconds);
                    }
                }

                Time(automatic, () =>
                {
                    var history = automaticModel.Fit(data, null, new FitOptions { Epochs = 1, Progress = false, BatchSize = batchSize });
                    chosen = new StepPlan(history.Threads, history.Replicas).ToString();
                });
                for (var i = 0; i < threadCounts.Length; i++)
                {
                    var (threads, model, loop) = (threadCounts[i], generated[i], handWritten[i]);
                    Time(atThreads[i].Generated, () => model.Fit(data, null, new FitOptions { Epochs = 1, Progress = false, BatchSize = batchSize, Threads = threads }));
                    Time(atThreads[i].HandWritten, () => loop.TrainEpoch(data, batchSize, threads));
                }

                log.WriteLine($"  cnn batch {batchSize}, {(round == 0 ? "warm-up" : $"round {round}")}: {string.Join("; ", line)} (automatic: {chosen})");
            }

            return new CnnRace(batchSize, data.Count, automatic, chosen, atThreads);
        }
        finally
        {
            foreach (var model in models)
            {
                model.Dispose();
            }
        }
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

        public void TrainEpoch(Dataset data, int batchSize, int threads) => TorchThreads.Run(threads, () => TrainEpoch(data, batchSize));

        private void TrainEpoch(Dataset data, int batchSize)
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

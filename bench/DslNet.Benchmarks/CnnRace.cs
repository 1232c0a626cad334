using DslNet;
using DslNet.Training;
using TorchSharp;

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
            var handWritten = threadCounts.Select(_ => HandWrittenLoop.Convolutional()).ToArray();
            models.AddRange(handWritten);
            var chosen = "";
            for (var number = 0; number <= repeats; number++)
            {
                var round = new Round(number);
                round.Time(automatic, () =>
                {
                    var history = automaticModel.Fit(data, null, new FitOptions { Epochs = 1, Progress = false, BatchSize = batchSize });
                    chosen = new StepPlan(history.Threads, history.Replicas).ToString();
                });
                for (var i = 0; i < threadCounts.Length; i++)
                {
                    var (threads, model, loop) = (threadCounts[i], generated[i], handWritten[i]);
                    round.Time(atThreads[i].Generated, () => model.Fit(data, null, new FitOptions { Epochs = 1, Progress = false, BatchSize = batchSize, Threads = threads }));
                    round.Time(atThreads[i].HandWritten, () => loop.TrainEpoch(data, batchSize, threads));
                }

                log.WriteLine($"  cnn batch {batchSize}, {round} (automatic: {chosen})");
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
}

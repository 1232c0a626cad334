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
/// A small residual network (issue 20) on CIFAR-shaped input: a 3×3 convolution stem with batch norm and ReLU, three of the
/// book's residual units (32 filters with the identity shortcut, then 64 and 128 at stride 2 with 1×1 projections), global
/// average pooling and Dense(10), trained as <see cref="BenchConvNet"/> is.
/// </summary>
[Model(3, 32, 32)]
[Conv2D(32, 3, Padding = Padding.Same, UseBias = false, BatchNorm = true, Act = Act.ReLU)]
[Residual(32)]
[Residual(64, Stride = 2)]
[Residual(128, Stride = 2)]
[GlobalAvgPool]
[Dense(10, Act = Act.Softmax)]
[Sgd(LearningRate = 0.01, Momentum = 0.9, Nesterov = true)]
public partial class BenchResNet;

/// <summary>
/// The CIFAR-10 sample's fast network (<c>FastNet</c>, issue 22) without its standardization, augmentation and schedule: a
/// 2×2 convolution of 24 filters with bias and GELU, then three groups of conv → 2×2 max pooling → batch norm → GELU →
/// conv + batch norm without scale + GELU (32, 128 and 128 filters), a 3×3 max pooling, Flatten and Dense(10); label
/// smoothing 0.2, Nesterov SGD (momentum 0.85) at batch 512. Its rate is constant at a tenth of FastNet's 1cycle peak
/// (0.4): the race trains on random labels, where the peak could diverge and end <c>Fit</c>'s epoch early. The sample's
/// FastNet has since replaced the learned first layer by <c>[Whiten]</c>'s frozen one of the same 24 filters; the race
/// keeps the learned layer, whose hand-written twin is a plain <c>Conv2d</c> (the steps differ by that one 2×2 layer's
/// weight gradient).
/// </summary>
[Model(3, 32, 32)]
[Conv2D(24, 2, Act = Act.GELU)]
[Conv2D(32, 3, Padding = Padding.Same, UseBias = false)]
[MaxPool(2)]
[BatchNorm(Momentum = 0.9)]
[Activation(Act.GELU)]
[Conv2D(32, 3, Padding = Padding.Same, UseBias = false, BatchNorm = true, BatchNormScale = false, BatchNormMomentum = 0.9, Act = Act.GELU)]
[Conv2D(128, 3, Padding = Padding.Same, UseBias = false)]
[MaxPool(2)]
[BatchNorm(Momentum = 0.9)]
[Activation(Act.GELU)]
[Conv2D(128, 3, Padding = Padding.Same, UseBias = false, BatchNorm = true, BatchNormScale = false, BatchNormMomentum = 0.9, Act = Act.GELU)]
[Conv2D(128, 3, Padding = Padding.Same, UseBias = false)]
[MaxPool(2)]
[BatchNorm(Momentum = 0.9)]
[Activation(Act.GELU)]
[Conv2D(128, 3, Padding = Padding.Same, UseBias = false, BatchNorm = true, BatchNormScale = false, BatchNormMomentum = 0.9, Act = Act.GELU)]
[MaxPool(3)]
[Flatten]
[Dense(10, Act = Act.Softmax)]
[Loss(LabelSmoothing = 0.2)]
[Sgd(LearningRate = 0.04, Momentum = 0.85, Nesterov = true)]
[Train(BatchSize = 512)]
public partial class BenchFastNet;

/// <summary>
/// A network raced by <see cref="CnnRace"/>: its declared (generated) model, the same network written by hand, its
/// trainable parameter count (both must have exactly that many), and the names the report and the log give it (its
/// section's title, the kind in its table and target rows, the prefix of its log lines).
/// </summary>
internal sealed record CnnNetwork(string Name, string Title, string Kind, string Log, long ParameterCount, int BatchSize, Func<DslModule> Generated, Func<HandWrittenLoop> HandWritten)
{
    /// <summary>The <c>cnn</c> sample's network (issue 12), at batch 128.</summary>
    public static CnnNetwork Convolutional { get; } = new(nameof(BenchConvNet), "Convolutional network", "CNN", "cnn", BenchConvNet.ParameterCount, 128, () => new BenchConvNet(), HandWrittenLoop.Convolutional);

    /// <summary>The residual network (issue 20), at batch 128.</summary>
    public static CnnNetwork Residual { get; } = new(nameof(BenchResNet), "Residual network", "ResNet", "resnet", BenchResNet.ParameterCount, 128, () => new BenchResNet(), HandWrittenLoop.Residual);

    /// <summary>The fast CIFAR-10 network (issue 22), at its declared batch 512.</summary>
    public static CnnNetwork Fast { get; } = new(nameof(BenchFastNet), "Fast network", "FastNet", "fastnet", BenchFastNet.ParameterCount, 512, () => new BenchFastNet(), HandWrittenLoop.Fast);

    /// <summary>Every raced network, in the order <c>--cnn</c> races them.</summary>
    public static IReadOnlyList<CnnNetwork> All { get; } = [Convolutional, Residual, Fast];
}

/// <summary>
/// A convolutional network at its batch size (128, or 512 for the fast network; issues 12, 20 and 22): epochs of the generated <c>Fit</c> of its declared model, with
/// its automatic choice and fixed at every thread count it may choose, against the same network written by hand in
/// idiomatic TorchSharp (see <see cref="HandWrittenLoop.Convolutional"/> and <see cref="HandWrittenLoop.Residual"/>; torch's
/// SGD with the same Nesterov momentum; <c>cross_entropy</c>; batches by <c>index_select</c> of a shuffled permutation, one
/// dispose scope per batch) at each of those thread counts. One warm-up epoch each, then <paramref name="repeats"/> rounds
/// in which every contender trains one epoch in turn, as <see cref="EpochTimes"/>.
/// </summary>
internal sealed record CnnRace(CnnNetwork Network, int BatchSize, int Samples, Contender Automatic, string AutomaticPlan,
    IReadOnlyList<(int Threads, Contender Generated, Contender HandWritten)> AtThreads)
{
    public static CnnRace Measure(CnnNetwork network, Dataset data, int repeats, TextWriter log)
    {
        var batchSize = network.BatchSize;
        var threadCounts = TrainingThreads.Candidates(TrainingThreads.Available, batchSize, replicable: false).Select(p => p.Threads).Distinct().Order().ToArray();
        var automatic = new Contender("Fit, automatic", []);
        var atThreads = threadCounts.Select(t => (Threads: t, Generated: new Contender($"Fit, {t} thread(s)", []), HandWritten: new Contender($"hand-written, {t} thread(s)", []))).ToArray();
        var models = new List<IDisposable>();
        try
        {
            var automaticModel = network.Generated();
            models.Add(automaticModel);
            var generated = threadCounts.Select(_ => network.Generated()).ToArray();
            models.AddRange(generated);
            var handWritten = threadCounts.Select(_ => network.HandWritten()).ToArray();
            models.AddRange(handWritten);
            CheckSameNetwork(network, automaticModel, handWritten[0]);
            CheckSameFunction(network, data);
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

                log.WriteLine($"  {network.Log} batch {batchSize}, {round} (automatic: {chosen})");
            }

            return new CnnRace(network, batchSize, data.Count, automatic, chosen, atThreads);
        }
        finally
        {
            foreach (var model in models)
            {
                model.Dispose();
            }
        }
    }

    /// <summary>
    /// Fails loudly unless the declared model and the hand-written one have the declared number of trainable parameters and
    /// the same parameter tensor shapes: a race between two different networks would measure nothing.
    /// </summary>
    private static void CheckSameNetwork(CnnNetwork network, DslModule generated, HandWrittenLoop handWritten)
    {
        var declared = generated.parameters().Sum(p => p.numel());
        var byHand = handWritten.ParameterCount;
        if (declared != network.ParameterCount || byHand != network.ParameterCount)
        {
            throw new InvalidOperationException(
                $"{network.Name}: the declared model has {declared:N0} parameters ({nameof(BenchConvNet.ParameterCount)} says {network.ParameterCount:N0}) " +
                $"but the hand-written TorchSharp {network.Kind} has {byHand:N0}: they are not the same network, so the race would compare nothing.");
        }

        var declaredShapes = Shapes(generated.parameters());
        var handShapes = Shapes(handWritten.Parameters);
        if (!declaredShapes.SequenceEqual(handShapes))
        {
            throw new InvalidOperationException(
                $"{network.Name}: the declared model's parameter shapes ({string.Join(", ", declaredShapes)}) differ from the hand-written " +
                $"TorchSharp {network.Kind}'s ({string.Join(", ", handShapes)}).");
        }
    }

    /// <summary>
    /// Fails loudly unless a fresh hand-written network, given a fresh declared model's weights (parameter by parameter, in
    /// the order both register them), computes the same logits on a few samples (inference mode): same layers, same order,
    /// same padding. Both are throwaway copies; the raced models are untouched.
    /// </summary>
    private static void CheckSameFunction(CnnNetwork network, Dataset data)
    {
        using var scope = torch.NewDisposeScope();
        using var declared = network.Generated();
        using var byHand = network.HandWritten();
        byHand.CopyParametersFrom(declared.parameters());
        declared.eval();
        var x = data.Features.narrow(0, 0, Math.Min(4, data.Count));
        using var noGrad = torch.no_grad();
        var expected = declared.Logits(x);
        var actual = byHand.Logits(x);
        var difference = (expected - actual).abs().max().ToDouble();
        var scale = expected.abs().max().ToDouble();
        if (!(difference <= 1e-4 * Math.Max(scale, 1)))
        {
            throw new InvalidOperationException(
                $"{network.Name}: with the same weights, the hand-written TorchSharp {network.Kind}'s logits differ from the declared model's by up to " +
                $"{difference:G3} (largest logit {scale:G3}): they are not the same network, so the race would compare nothing.");
        }
    }

    private static string[] Shapes(IEnumerable<torch.Tensor> parameters) => parameters.Select(p => "[" + string.Join("×", p.shape) + "]").Order(StringComparer.Ordinal).ToArray();
}

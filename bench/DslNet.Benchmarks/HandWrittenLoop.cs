using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DslNet.Benchmarks;

/// <summary>
/// The idiomatic hand-written TorchSharp training loop the generated <c>Fit</c> is compared with: a <c>Sequential</c>, a
/// torch optimizer, <c>cross_entropy</c>, one dispose scope per batch, <c>index_select</c> batches of a shuffled
/// permutation, at a given intra-op thread count. <see cref="Dense"/> is the exercise's Swish net, <see cref="Convolutional"/>
/// the <c>cnn</c> sample's network.
/// </summary>
internal sealed class HandWrittenLoop : IDisposable
{
    private readonly Sequential model;
    private readonly optim.Optimizer optimizer;
    private readonly Generator generator = new(42);

    private HandWrittenLoop(Sequential model, Func<Sequential, optim.Optimizer> optimizer)
    {
        this.model = model;
        this.optimizer = optimizer(model);
    }

    /// <summary>
    /// Linear + SiLU ×20 and Linear(100, 10) initialized as the declared model (He, Glorot output, zero biases), torch's
    /// NAdam with Keras' ε and momentum decay.
    /// </summary>
    public static HandWrittenLoop Dense()
    {
        var layers = new List<(string, nn.Module<Tensor, Tensor>)> { ("flatten", nn.Flatten()) };
        var inputs = 3 * 32 * 32;
        for (var i = 1; i <= 20; i++)
        {
            layers.Add(($"hidden{i}", nn.Linear(inputs, 100)));
            layers.Add(($"swish{i}", nn.SiLU()));
            inputs = 100;
        }

        layers.Add(("output", nn.Linear(100, 10)));
        var model = nn.Sequential(layers);

        // The same experiment as the declared model: He (truncated normal) for the hidden layers, Glorot uniform for the
        // output, zero biases. Values matter for speed here: this deep Swish net's small early-layer gradients underflow
        // into subnormal floats as it trains, which x86 arithmetic handles far more slowly, and torch's default
        // initialization would train a different network that does not reach them.
        using var init = new Generator(7);
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (name.EndsWith(".bias", StringComparison.Ordinal))
            {
                using var noGrad = no_grad();
                parameter.zero_();
            }
            else
            {
                Layers.Initializers.Apply(parameter, name.StartsWith("output", StringComparison.Ordinal) ? Init.Glorot : Init.He, init);
            }
        }

        return new HandWrittenLoop(model, m => optim.NAdam(m.parameters(), lr: 5e-5, eps: 1e-7, momentum_decay: 0.004));
    }

    /// <summary>
    /// <see cref="BenchConvNet"/> by hand: Conv2d without bias, BatchNorm2d with Keras' ε and momentum, ReLU and MaxPool2d,
    /// four times (no pooling after the last), a mean over H and W, Linear; torch's SGD with the same Nesterov momentum.
    /// </summary>
    public static HandWrittenLoop Convolutional()
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
        return new HandWrittenLoop(nn.Sequential(layers), m => optim.SGD(m.parameters(), 0.01, momentum: 0.9, nesterov: true));
    }

    /// <summary>One epoch over <paramref name="data"/> in mini-batches of <paramref name="batchSize"/>, at <paramref name="threads"/> intra-op threads.</summary>
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

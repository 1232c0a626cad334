using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DslNet.Benchmarks;

/// <summary>
/// The idiomatic hand-written TorchSharp training loop the generated <c>Fit</c> is compared with: a <c>Sequential</c> of
/// Linear + SiLU ×20 and Linear(100, 10) initialized as the declared model (He, Glorot output, zero biases), torch's NAdam
/// with Keras' ε and momentum decay, <c>cross_entropy</c>, one dispose
/// scope per batch, <c>index_select</c> batches of a shuffled permutation, at a given intra-op thread count.
/// </summary>
internal sealed class HandWrittenLoop : IDisposable
{
    private readonly Sequential model;
    private readonly optim.Optimizer optimizer;
    private readonly Generator generator = new(42);

    public HandWrittenLoop()
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
        model = nn.Sequential(layers);

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
        optimizer = optim.NAdam(model.parameters(), lr: 5e-5, eps: 1e-7, momentum_decay: 0.004);
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

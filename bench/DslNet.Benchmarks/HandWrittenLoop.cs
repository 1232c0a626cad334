using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DslNet.Benchmarks;

/// <summary>
/// The idiomatic hand-written TorchSharp training loop the generated <c>Fit</c> is compared with: a <c>Sequential</c> (or a small module), a
/// torch optimizer, <c>cross_entropy</c>, one dispose scope per batch, <c>index_select</c> batches of a shuffled
/// permutation, at a given intra-op thread count. <see cref="Dense"/> is the exercise's Swish net, <see cref="Convolutional"/>
/// the <c>cnn</c> sample's network, <see cref="Residual"/> a small ResNet of the book's residual units.
/// </summary>
internal sealed class HandWrittenLoop : IDisposable
{
    private readonly nn.Module<Tensor, Tensor> model;
    private readonly optim.Optimizer optimizer;
    private readonly Generator generator = new(42);

    private readonly double labelSmoothing;

    private HandWrittenLoop(nn.Module<Tensor, Tensor> model, Func<IEnumerable<Parameter>, optim.Optimizer> optimizer, double labelSmoothing = 0)
    {
        this.model = model;
        this.labelSmoothing = labelSmoothing;
        this.optimizer = optimizer(Trainable(model));
    }

    /// <summary>The model's trainable parameters (a frozen batch-norm scale, as in <see cref="Fast"/>, is not one).</summary>
    public IEnumerable<Tensor> Parameters => Trainable(model);

    /// <summary>The number of trainable parameters (batch norm's running statistics are buffers, not parameters).</summary>
    public long ParameterCount => Parameters.Sum(p => p.numel());

    /// <summary>The module trained (for <see cref="StepProfile"/>, which times its step phase by phase).</summary>
    internal nn.Module<Tensor, Tensor> Model => model;

    /// <summary>The torch optimizer (for <see cref="StepProfile"/>).</summary>
    internal optim.Optimizer Optimizer => optimizer;

    /// <summary>The training loss of a batch: <c>cross_entropy</c>, with the network's label smoothing.</summary>
    internal Tensor Loss(Tensor logits, Tensor labels) => labelSmoothing == 0
        ? nn.functional.cross_entropy(logits, labels)
        : nn.functional.cross_entropy(logits, labels, label_smoothing: labelSmoothing);

    /// <summary>Copies <paramref name="parameters"/> into this model's parameters, one by one in registration order (shapes must match).</summary>
    public void CopyParametersFrom(IEnumerable<Tensor> parameters)
    {
        using var noGrad = no_grad();
        var mine = Parameters.ToArray();
        var theirs = parameters.ToArray();
        if (mine.Length != theirs.Length)
        {
            throw new InvalidOperationException($"The hand-written model has {mine.Length} parameter tensors, the other {theirs.Length}.");
        }

        foreach (var (target, source) in mine.Zip(theirs))
        {
            target.copy_(source);
        }
    }

    /// <summary>The model's output (logits) for <paramref name="x"/> in inference mode.</summary>
    public Tensor Logits(Tensor x)
    {
        model.eval();
        return model.call(x);
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

        return new HandWrittenLoop(model, m => optim.NAdam(m, lr: 5e-5, eps: 1e-7, momentum_decay: 0.004));
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
        return new HandWrittenLoop(nn.Sequential(layers), p => optim.SGD(p, 0.01, momentum: 0.9, nesterov: true));
    }

    /// <summary>
    /// <see cref="BenchResNet"/> by hand: a 3×3 Conv2d stem without bias, BatchNorm2d and ReLU, three <see cref="ResidualUnit"/>s
    /// (32 filters with the identity, 64 and 128 at stride 2 with 1×1 projections), a mean over H and W, Linear; initialized as
    /// the declared model (He truncated normal convolutions, as Init.Auto picks for ReLU, Glorot uniform output, zero biases,
    /// batch norm's γ 1 and β 0); torch's SGD with the same Nesterov momentum.
    /// </summary>
    public static HandWrittenLoop Residual()
    {
        var model = new ResNet();
        using var init = new Generator(7);
        using (no_grad())
        {
            foreach (var (name, parameter) in model.named_parameters())
            {
                if (name.StartsWith("output", StringComparison.Ordinal))
                {
                    if (name.EndsWith(".bias", StringComparison.Ordinal))
                    {
                        parameter.zero_();
                    }
                    else
                    {
                        Layers.Initializers.Apply(parameter, Init.Glorot, init);
                    }
                }
                else if (parameter.dim() == 4)
                {
                    Layers.Initializers.Apply(parameter, Init.He, init);
                }
            }
        }

        return new HandWrittenLoop(model, p => optim.SGD(p, 0.01, momentum: 0.9, nesterov: true));
    }

    /// <summary>
    /// <see cref="BenchFastNet"/> by hand, as airbench writes it: Conv2d(3, 24, 2) with bias and GELU, then per group of 32,
    /// 128 and 128 filters Conv2d(bias: false), MaxPool2d(2), BatchNorm2d, GELU, Conv2d(bias: false), BatchNorm2d with its
    /// scale frozen at 1 (<c>requires_grad = false</c>, airbench's way to drop it), GELU; MaxPool2d(3), Flatten, Linear.
    /// Batch norm with Keras' ε 1e-3 and momentum 0.9 (torch's 0.1); initialized as the declared model (He truncated normal
    /// convolutions before GELU and Glorot uniform before pooling, as Init.Auto picks, Glorot uniform output, zero biases); <c>cross_entropy</c> with label
    /// smoothing 0.2; torch's SGD with the same Nesterov momentum 0.85 and rate 0.04.
    /// </summary>
    public static HandWrittenLoop Fast()
    {
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>
        {
            ("stem", nn.Conv2d(3, 24, 2)),
            ("stemAct", nn.GELU()),
        };
        var channels = 24L;
        foreach (var (filters, index) in new long[] { 32, 128, 128 }.Select((f, i) => (f, i + 1)))
        {
            layers.Add(($"conv{index}a", nn.Conv2d(channels, filters, 3, padding: 1, bias: false)));
            layers.Add(($"pool{index}", nn.MaxPool2d(2)));
            layers.Add(($"norm{index}a", nn.BatchNorm2d(filters, eps: 1e-3, momentum: 0.1)));
            layers.Add(($"act{index}a", nn.GELU()));
            layers.Add(($"conv{index}b", nn.Conv2d(filters, filters, 3, padding: 1, bias: false)));
            var norm = nn.BatchNorm2d(filters, eps: 1e-3, momentum: 0.1);
            norm.weight!.requires_grad = false;
            layers.Add(($"norm{index}b", norm));
            layers.Add(($"act{index}b", nn.GELU()));
            channels = filters;
        }

        layers.Add(("pool", nn.MaxPool2d(3)));
        layers.Add(("flatten", nn.Flatten()));
        layers.Add(("output", nn.Linear(channels, 10)));
        var model = nn.Sequential(layers);
        using var init = new Generator(7);
        using (no_grad())
        {
            foreach (var (name, parameter) in model.named_parameters())
            {
                if (name.EndsWith(".bias", StringComparison.Ordinal))
                {
                    parameter.zero_();
                }
                else if (parameter.dim() == 4)
                {
                    // Init.Auto: He before GELU, Glorot for the convolutions followed by pooling (no activation of their own).
                    Layers.Initializers.Apply(parameter, name.EndsWith("a.weight", StringComparison.Ordinal) ? Init.Glorot : Init.He, init);
                }
                else if (name.StartsWith("output", StringComparison.Ordinal))
                {
                    Layers.Initializers.Apply(parameter, Init.Glorot, init);
                }
            }
        }

        return new HandWrittenLoop(model, p => optim.SGD(p, 0.04, momentum: 0.85, nesterov: true), labelSmoothing: 0.2);
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
            var loss = Loss(model.call(x), y);
            loss.backward();
            optimizer.step();
        }
    }

    private static IEnumerable<Parameter> Trainable(nn.Module model) => model.parameters().Where(p => p.requires_grad);

    public void Dispose()
    {
        optimizer.Dispose();
        model.Dispose();
        generator.Dispose();
    }

    /// <summary>The hand-written <see cref="BenchResNet"/>: stem, three residual units, global average pooling, the output layer.</summary>
    private sealed class ResNet : nn.Module<Tensor, Tensor>
    {
        private readonly Conv2d stem = nn.Conv2d(3, 32, 3, padding: 1, bias: false);
        private readonly BatchNorm2d stemNorm = nn.BatchNorm2d(32, eps: 1e-3, momentum: 0.01);
        private readonly ResidualUnit unit1 = new(32, 32, stride: 1);
        private readonly ResidualUnit unit2 = new(32, 64, stride: 2);
        private readonly ResidualUnit unit3 = new(64, 128, stride: 2);
        private readonly Linear output = nn.Linear(128, 10);

        public ResNet()
            : base(nameof(ResNet)) => RegisterComponents();

        public override Tensor forward(Tensor input)
        {
            var x = nn.functional.relu(stemNorm.call(stem.call(input)));
            x = unit3.call(unit2.call(unit1.call(x)));
            return output.call(x.mean([2, 3]));
        }
    }

    /// <summary>
    /// The book's <c>ResidualUnit</c> in TorchSharp: 3×3 conv → BN → ReLU → 3×3 conv → BN, plus the identity or, at stride 2,
    /// a 1×1 conv (stride 2) → BN; ReLU after the sum. Batch norm with Keras' ε 1e-3 and momentum 0.99, which is torch's
    /// 0.01. At stride 2, Keras' "same" padding of a 3×3 kernel over an even size adds its one row and column at the
    /// bottom and right only (torch's <c>padding: 1</c> would pad both sides and shift the sampled grid), so the first
    /// convolution pads explicitly first, as the generated layer does.
    /// </summary>
    private sealed class ResidualUnit : nn.Module<Tensor, Tensor>
    {
        private static readonly long[] PadBottomRight = [0, 1, 0, 1];

        private readonly long stride;
        private readonly Conv2d conv1;
        private readonly BatchNorm2d norm1;
        private readonly Conv2d conv2;
        private readonly BatchNorm2d norm2;
        private readonly Conv2d? projection;
        private readonly BatchNorm2d? projectionNorm;

        public ResidualUnit(long inChannels, long filters, long stride)
            : base(nameof(ResidualUnit))
        {
            this.stride = stride;
            conv1 = nn.Conv2d(inChannels, filters, 3, stride: stride, padding: stride == 1 ? 1 : 0, bias: false);
            norm1 = nn.BatchNorm2d(filters, eps: 1e-3, momentum: 0.01);
            conv2 = nn.Conv2d(filters, filters, 3, padding: 1, bias: false);
            norm2 = nn.BatchNorm2d(filters, eps: 1e-3, momentum: 0.01);
            if (stride != 1 || inChannels != filters)
            {
                projection = nn.Conv2d(inChannels, filters, 1, stride: stride, bias: false);
                projectionNorm = nn.BatchNorm2d(filters, eps: 1e-3, momentum: 0.01);
            }

            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            var z = stride == 1 ? input : nn.functional.pad(input, PadBottomRight);
            z = nn.functional.relu(norm1.call(conv1.call(z)));
            z = norm2.call(conv2.call(z));
            var skip = projection is null ? input : projectionNorm!.call(projection.call(input));
            return nn.functional.relu(z + skip);
        }
    }
}

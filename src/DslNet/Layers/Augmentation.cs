using DslNet.Training.State;
using TorchSharp;
using static TorchSharp.torch;

namespace DslNet.Layers;

/// <summary>
/// Keras' <c>RandomFlip("horizontal")</c> on [N, C, H, W]: while training, each image is mirrored left-right with
/// probability ½, drawn from the layer's own seeded generator, for the whole batch at once; the identity at inference.
/// </summary>
public sealed class RandomHorizontalFlip : nn.Module<Tensor, Tensor>, IRandomLayer
{
    private readonly Generator generator;

    /// <summary>Creates the layer; <paramref name="seed"/> fixes the sequence of flips.</summary>
    public RandomHorizontalFlip(long seed) : base(nameof(RandomHorizontalFlip))
    {
        generator = new Generator((ulong)seed);
    }

    Generator IRandomLayer.Generator => generator;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!training)
        {
            return input.alias();
        }

        using var scope = NewDisposeScope();
        var flip = rand(new[] { input.shape[0] }, generator: generator).lt(0.5).to(input.device).view(-1, 1, 1, 1);
        return where(flip, input.flip(3), input).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            generator.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>
/// Random crops after zero padding on [N, C, H, W] (the usual CIFAR augmentation): while training, each image is padded by
/// <see cref="Padding"/> pixels on every side and cut back to H × W at an offset drawn uniformly from [0, 2·padding] in each
/// direction, from the layer's own seeded generator; the whole batch at once (two gathers); the identity at inference.
/// </summary>
public sealed class RandomPaddedCrop : nn.Module<Tensor, Tensor>, IRandomLayer
{
    private readonly Generator generator;

    /// <summary>Creates the layer; <paramref name="seed"/> fixes the sequence of offsets.</summary>
    public RandomPaddedCrop(long padding, long seed) : base(nameof(RandomPaddedCrop))
    {
        if (padding < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(padding), padding, "The crop padding must be ≥ 0.");
        }

        Padding = padding;
        generator = new Generator((ulong)seed);
    }

    /// <summary>The zero padding on each side before cropping.</summary>
    public long Padding { get; }

    Generator IRandomLayer.Generator => generator;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!training || Padding == 0)
        {
            return input.alias();
        }

        using var scope = NewDisposeScope();
        var (n, c, h, w) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3]);
        var padded = nn.functional.pad(input, new[] { Padding, Padding, Padding, Padding });
        var offsets = randint(0, (2 * Padding) + 1, new[] { 2, n }, generator: generator).to(input.device);
        var rows = offsets[0].view(n, 1).add(arange(h, device: input.device)).view(n, 1, h, 1).expand(n, c, h, w + (2 * Padding));
        var columns = offsets[1].view(n, 1).add(arange(w, device: input.device)).view(n, 1, 1, w).expand(n, c, h, w);
        return padded.gather(2, rows).gather(3, columns).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            generator.Dispose();
        }

        base.Dispose(disposing);
    }
}

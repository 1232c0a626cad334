using TorchSharp;
using static TorchSharp.torch;

namespace DslNet.Samples.Chapter11.Data;

/// <summary>
/// A synthetic classification problem: each class is a Gaussian blob around its own center in the first
/// <see cref="Informative"/> features; the remaining features are pure N(0, 1) noise that carries no information.
/// </summary>
internal sealed record Blobs(int Classes, int Features, int Informative, double Spread, double Noise, int Seed = 7)
{
    /// <summary>A training set and a validation set drawn from the same distribution (samples in random order).</summary>
    public (Dataset Train, Dataset Valid) Sample(int trainPerClass, int validPerClass)
    {
        if (Informative < 1 || Informative > Features)
        {
            throw new ArgumentException($"Informative features must be between 1 and {Features}, got {Informative}.");
        }

        using var generator = new Generator((ulong)Seed);
        var centers = randn([Classes, Informative], generator: generator).mul_(Spread);
        Dataset Draw(int perClass)
        {
            var count = Classes * perClass;
            var labels = arange(Classes, dtype: ScalarType.Int64).repeat_interleave(perClass);
            var order = randperm(count, generator: generator);
            labels = labels.index_select(0, order);
            var signal = centers.index_select(0, labels).add_(randn([count, Informative], generator: generator).mul_(Noise));
            var noise = randn([count, Features - Informative], generator: generator);
            return new Dataset(cat([signal, noise], 1), labels);
        }

        return (Draw(trainPerClass), Draw(validPerClass));
    }
}

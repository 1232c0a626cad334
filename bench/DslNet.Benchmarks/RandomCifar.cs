using TorchSharp;

namespace DslNet.Benchmarks;

/// <summary>CIFAR-shaped random data: float32 [N, 3, 32, 32] in [0, 255) and int64 labels 0–9. Speed does not depend on the values.</summary>
internal static class RandomCifar
{
    public static Dataset Create(int samples, int seed)
    {
        using var generator = new torch.Generator((ulong)seed);
        var features = torch.rand([samples, 3, 32, 32], generator: generator).mul_(255);
        var labels = torch.randint(0, 10, [samples], dtype: torch.ScalarType.Int64, generator: generator);
        return new Dataset(features, labels);
    }
}

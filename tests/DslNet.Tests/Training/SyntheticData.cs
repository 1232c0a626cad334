using DslNet.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace DslNet.Tests.Training;

/// <summary>Small synthetic classification sets: Gaussian blobs around well-separated class centers.</summary>
internal static class SyntheticData
{
    static SyntheticData() => TorchNativeLibrary.EnsureLoadable();

    /// <summary>(train, validation) with <paramref name="classes"/> blobs in <paramref name="features"/> dimensions.</summary>
    public static (Dataset Train, Dataset Validation) Blobs(int classes = 10, int features = 20, int perClassTrain = 60, int perClassValidation = 20, double noise = 0.6, long seed = 7)
    {
        var generator = new torch.Generator((ulong)seed);
        var centers = torch.randn([classes, features], generator: generator).mul_(2);
        Dataset Sample(int perClass)
        {
            var labels = torch.arange(classes, dtype: ScalarType.Int64).repeat_interleave(perClass);
            var x = centers.index_select(0, labels).add_(torch.randn([labels.shape[0], features], generator: generator).mul_(noise));
            return new Dataset(x, labels);
        }

        return (Sample(perClassTrain), Sample(perClassValidation));
    }
}

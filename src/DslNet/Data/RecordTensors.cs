using static TorchSharp.torch;

namespace DslNet.Data;

/// <summary>Turns checked CIFAR-10 record bytes into tensors, with all per-sample work done by torch.</summary>
internal static class RecordTensors
{
    /// <summary>
    /// Concatenates the records of <paramref name="files"/> (in order) into one data set: features float32
    /// <c>[N, 3, 32, 32]</c> holding the raw bytes 0–255, labels int64 <c>[N]</c>. The files are enumerated once, and
    /// each array is copied into a uint8 tensor before the next is read.
    /// </summary>
    public static Dataset ToDataset(IEnumerable<byte[]> files)
    {
        using var scope = NewDisposeScope();
        var parts = files.Select(AsRecords).ToArray();
        var records = parts.Length == 1 ? parts[0] : cat(parts, 0);
        var count = records.shape[0];
        var labels = records.narrow(1, 0, 1).reshape(count).to(ScalarType.Int64);
        var features = records.narrow(1, 1, Cifar10Format.PixelBytes).to(ScalarType.Float32)
            .reshape(count, Cifar10Format.Channels, Cifar10Format.Height, Cifar10Format.Width);
        return new Dataset(features.MoveToOuterDisposeScope(), labels.MoveToOuterDisposeScope());
    }

    private static Tensor AsRecords(byte[] bytes) =>
        tensor(bytes, [bytes.Length / Cifar10Format.RecordBytes, Cifar10Format.RecordBytes], ScalarType.Byte);
}

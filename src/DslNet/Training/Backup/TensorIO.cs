using TorchSharp;
using static TorchSharp.torch;

namespace DslNet.Training.Backup;

/// <summary>Tensors written exactly (dtype, shape, raw bytes) and read back on the CPU.</summary>
internal static class TensorIO
{
    public static void Write(BinaryWriter writer, Tensor tensor)
    {
        using var scope = torch.NewDisposeScope();
        var data = tensor.detach().cpu().contiguous();
        writer.Write((int)data.dtype);
        writer.Write(data.dim());
        foreach (var size in data.shape)
        {
            writer.Write(size);
        }

        var bytes = data.bytes;
        writer.Write(bytes.Length);
        writer.Write(bytes);
    }

    public static Tensor Read(BinaryReader reader)
    {
        var dtype = (ScalarType)reader.ReadInt32();
        var rank = reader.ReadInt64();
        if (rank is < 0 or > 16)
        {
            throw new InvalidDataException($"A saved tensor claims {rank} dimensions.");
        }

        var shape = new long[rank];
        for (var i = 0; i < rank; i++)
        {
            shape[i] = reader.ReadInt64();
        }

        var length = reader.ReadInt32();
        var bytes = reader.ReadBytes(length);
        if (bytes.Length != length)
        {
            throw new EndOfStreamException("A saved tensor ends early.");
        }

        var tensor = torch.empty(shape, dtype);
        if (tensor.ElementSize * tensor.numel() != length)
        {
            tensor.Dispose();
            throw new InvalidDataException($"A saved {dtype} tensor of shape [{string.Join(", ", shape)}] has {length} bytes.");
        }

        tensor.bytes = bytes;
        return tensor;
    }
}

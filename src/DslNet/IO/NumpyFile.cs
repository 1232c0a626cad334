using System.Globalization;
using System.Text;
using static TorchSharp.torch;

namespace DslNet.IO;

/// <summary>
/// Writes a tensor as a NumPy <c>.npy</c> file (format version 1.0: the magic <c>\x93NUMPY</c>, a little-endian header
/// length, a Python-literal header padded to a multiple of 64 bytes, then the values in C order, little-endian), so
/// that <c>numpy.load</c> and PyTorch scripts read it. Floating tensors are written as float32 (<c>&lt;f4</c>), integer
/// and boolean ones as int64 (<c>&lt;i8</c>).
/// </summary>
internal static class NumpyFile
{
    private static readonly byte[] Magic = { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 };

    /// <summary>Writes <paramref name="tensor"/> to <paramref name="path"/> atomically.</summary>
    public static void Save(Tensor tensor, string path)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var floating = tensor.is_floating_point();
        using var values = tensor.detach().to(CPU).to_type(floating ? ScalarType.Float32 : ScalarType.Int64).contiguous();
        var header = Header(floating ? "<f4" : "<i8", values.shape);
        AtomicFile.Write(path, temporary =>
        {
            using var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write);
            file.Write(header);
            if (!BitConverter.IsLittleEndian)
            {
                throw new PlatformNotSupportedException("Writing .npy files needs a little-endian machine.");
            }

            file.Write(values.bytes);
        });
    }

    /// <summary>The magic, the version, the header length and the header dictionary, padded with spaces to a multiple of 64 bytes and ended by a newline.</summary>
    internal static byte[] Header(string descr, ReadOnlySpan<long> shape)
    {
        var dims = shape.ToArray().Select(d => d.ToString(CultureInfo.InvariantCulture)).ToArray();
        var shapeText = dims.Length == 1 ? $"({dims[0]},)" : "(" + string.Join(", ", dims) + ")";
        var dictionary = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shapeText}, }}";
        var unpadded = Magic.Length + 2 + dictionary.Length + 1;
        var padded = (unpadded + 63) / 64 * 64;
        var text = dictionary + new string(' ', padded - unpadded) + "\n";
        var bytes = new byte[padded];
        Magic.CopyTo(bytes, 0);
        bytes[8] = (byte)(text.Length & 0xFF);
        bytes[9] = (byte)(text.Length >> 8);
        Encoding.ASCII.GetBytes(text, 0, text.Length, bytes, 10);
        return bytes;
    }
}

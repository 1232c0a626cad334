using System.Buffers.Binary;
using System.IO.Compression;

namespace DslNet.Data;

/// <summary>Reads a batch file's bytes whole, through a gzip stream for <c>.gz</c> (nothing is unpacked beside it).</summary>
internal static class BatchFileReader
{
    /// <summary>The largest size a gzip trailer's length hint may preallocate (a corrupt trailer must not allocate gigabytes).</summary>
    private const int MaxPreallocation = 64 * 1024 * 1024;

    /// <summary>The uncompressed bytes of <paramref name="path"/>, checked as whole CIFAR-10 records with valid labels.</summary>
    public static byte[] ReadRecords(string path, int? expectedRecords = null)
    {
        var bytes = ReadUncompressed(path);
        Cifar10Format.Validate(bytes, path, expectedRecords);
        return bytes;
    }

    /// <summary>The uncompressed bytes of <paramref name="path"/>: the file itself, or its gzip content when it ends in <c>.gz</c>.</summary>
    public static byte[] ReadUncompressed(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The CIFAR-10 batch file '{path}' does not exist.", path);
        }

        return path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? Gunzip(path) : File.ReadAllBytes(path);
    }

    private static byte[] Gunzip(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        var hint = UncompressedSizeHint(file);
        try
        {
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var content = new MemoryStream(hint);
            gzip.CopyTo(content, bufferSize: 1 << 20);
            // When the hint was right (the normal case), the buffer is exactly the content: no second copy.
            return content.Length == content.Capacity ? content.GetBuffer() : content.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw Cifar10Format.Corrupt(path, $"it is not a valid gzip file ({e.Message})", e);
        }
    }

    /// <summary>The uncompressed size a gzip trailer records (its last 4 bytes, modulo 2^32), bounded; 0 if unknown.</summary>
    private static int UncompressedSizeHint(FileStream file)
    {
        if (file.Length < 18)
        {
            return 0;
        }

        Span<byte> trailer = stackalloc byte[4];
        file.Seek(-4, SeekOrigin.End);
        file.ReadExactly(trailer);
        file.Seek(0, SeekOrigin.Begin);
        var size = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        return size <= MaxPreallocation ? (int)size : 0;
    }
}

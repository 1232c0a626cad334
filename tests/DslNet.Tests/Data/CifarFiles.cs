using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace DslNet.Tests.Data;

/// <summary>Builds small CIFAR-10-layout files and archives for tests, in a temporary folder removed on dispose.</summary>
internal sealed class CifarFiles : IDisposable
{
    public const int RecordBytes = 3073;

    public CifarFiles() => Root = Directory.CreateTempSubdirectory("dslnet-data-test-").FullName;

    public string Root { get; }

    public static readonly string[] Batches = ["data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4", "data_batch_5", "test_batch"];

    /// <summary>
    /// <paramref name="count"/> records whose bytes are predictable: record r has label (r + seed) % 10, and pixel p of
    /// channel c holds (r * 7 + c * 50 + p + seed) % 256.
    /// </summary>
    public static byte[] Records(int count, int seed = 0)
    {
        var bytes = new byte[count * RecordBytes];
        for (var r = 0; r < count; r++)
        {
            bytes[r * RecordBytes] = (byte)((r + seed) % 10);
            for (var c = 0; c < 3; c++)
            {
                for (var p = 0; p < 1024; p++)
                {
                    bytes[r * RecordBytes + 1 + c * 1024 + p] = Pixel(r, c, p, seed);
                }
            }
        }

        return bytes;
    }

    public static byte Pixel(int record, int channel, int pixel, int seed = 0) => (byte)((record * 7 + channel * 50 + pixel + seed) % 256);

    public static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(bytes);
        }

        return output.ToArray();
    }

    public string Write(string relativePath, byte[] bytes)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Writes all six batches (seed = batch index, gzipped when asked) into <c>place/cifar-10-batches-bin</c>; returns <c>place</c>.</summary>
    public string CompleteFolder(string place, bool gzipped = false, int recordsPerFile = 2)
    {
        for (var i = 0; i < Batches.Length; i++)
        {
            var records = Records(recordsPerFile, seed: i);
            Write(Path.Combine(place, "cifar-10-batches-bin", Batches[i] + (gzipped ? ".bin.gz" : ".bin")), gzipped ? Gzip(records) : records);
        }

        return Path.Combine(Root, place);
    }

    /// <summary>A <c>.tar.gz</c> shaped like the official archive (plus a readme), its batches holding 2 records each.</summary>
    public static byte[] Archive(IEnumerable<string> batches)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "cifar-10-batches-bin/"));
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "cifar-10-batches-bin/readme.html")
            {
                DataStream = new MemoryStream("<html></html>"u8.ToArray()),
            });
            var seed = 0;
            foreach (var batch in batches)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, $"cifar-10-batches-bin/{batch}.bin")
                {
                    DataStream = new MemoryStream(Records(2, seed++)),
                });
            }
        }

        return output.ToArray();
    }

    public static string Md5(byte[] bytes) => Convert.ToHexStringLower(MD5.HashData(bytes));

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}

using DslNet.Data;
using Xunit;

namespace DslNet.Tests.Data;

/// <summary>Reading and checking batch files: pure bytes, no torch.</summary>
public sealed class BatchFileTests : IDisposable
{
    private readonly CifarFiles files = new();

    [Fact]
    public void PlainAndGzippedFilesReadAsTheSameRecords()
    {
        var records = CifarFiles.Records(3);
        var plain = files.Write("a.bin", records);
        var gzipped = files.Write("a.bin.gz", CifarFiles.Gzip(records));

        Assert.Equal(records, Cifar10.ReadBatchFile(plain));
        Assert.Equal(records, Cifar10.ReadBatchFile(gzipped));
    }

    [Fact]
    public void GzippedFileIsReadWithoutUnpackingBesideIt()
    {
        var path = files.Write("ro/data_batch_1.bin.gz", CifarFiles.Gzip(CifarFiles.Records(2)));
        var folder = Path.GetDirectoryName(path)!;
        File.SetAttributes(path, FileAttributes.ReadOnly);

        Cifar10.ReadBatchFile(path);

        Assert.Equal([path], Directory.GetFiles(folder));
    }

    [Fact]
    public void TruncatedFileIsAnErrorNamingTheFileAndTheRecordSize()
    {
        var records = CifarFiles.Records(2);
        var path = files.Write("short.bin", records[..^100]);

        var error = Assert.Throws<InvalidDataException>(() => Cifar10.ReadBatchFile(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("3073-byte records", error.Message);
        Assert.Contains("6,046 bytes", error.Message);
    }

    [Fact]
    public void TruncatedGzipIsAnErrorNamingTheFile()
    {
        var gzipped = CifarFiles.Gzip(CifarFiles.Records(4));
        var path = files.Write("cut.bin.gz", gzipped[..(gzipped.Length / 2)]);

        var error = Assert.Throws<InvalidDataException>(() => Cifar10.ReadBatchFile(path));

        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void CorruptGzipIsAnErrorNamingTheFile()
    {
        var gzipped = CifarFiles.Gzip(CifarFiles.Records(4));
        for (var i = 20; i < gzipped.Length - 8; i += 7)
        {
            gzipped[i] ^= 0x5A;
        }

        var path = files.Write("garbled.bin.gz", gzipped);

        var error = Assert.Throws<InvalidDataException>(() => Cifar10.ReadBatchFile(path));

        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void FileThatIsNotGzipAtAllIsAnErrorSayingSo()
    {
        var path = files.Write("plain-named.bin.gz", CifarFiles.Records(1));

        var error = Assert.Throws<InvalidDataException>(() => Cifar10.ReadBatchFile(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("not a valid gzip file", error.Message);
    }

    [Fact]
    public void LabelOutsideZeroToNineIsAnErrorNamingTheRecord()
    {
        var records = CifarFiles.Records(3);
        records[2 * CifarFiles.RecordBytes] = 10;
        var path = files.Write("label.bin", records);

        var error = Assert.Throws<InvalidDataException>(() => Cifar10.ReadBatchFile(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("record 2", error.Message);
        Assert.Contains("label 10", error.Message);
    }

    [Fact]
    public void EmptyFileIsAnError()
    {
        var path = files.Write("empty.bin", []);

        var error = Assert.Throws<InvalidDataException>(() => Cifar10.ReadBatchFile(path));

        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void OfficialBatchMustHoldExactlyTenThousandRecords()
    {
        var path = files.Write("data_batch_1.bin", CifarFiles.Records(3));

        var error = Assert.Throws<InvalidDataException>(() => BatchFileReader.ReadRecords(path, expectedRecords: 10_000));

        Assert.Contains(path, error.Message);
        Assert.Contains("holds 3 records", error.Message);
        Assert.Contains("exactly 10,000", error.Message);
    }

    [Fact]
    public void MissingFileIsAnErrorNamingIt()
    {
        var path = Path.Combine(files.Root, "nowhere.bin");

        var error = Assert.Throws<FileNotFoundException>(() => Cifar10.ReadBatchFile(path));

        Assert.Contains(path, error.Message);
    }

    public void Dispose() => files.Dispose();
}

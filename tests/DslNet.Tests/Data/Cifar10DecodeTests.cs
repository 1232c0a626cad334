using DslNet.Data;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DslNet.Tests.Data;

/// <summary>From record bytes to tensors: layout, types and values, on small files the test writes.</summary>
public sealed class Cifar10DecodeTests : IDisposable
{
    private readonly CifarFiles files = new();

    [Fact]
    public void BatchDecodesToChannelRowColumnFeaturesAndInt64Labels()
    {
        var path = files.Write("b.bin.gz", CifarFiles.Gzip(CifarFiles.Records(3, seed: 4)));

        var data = Cifar10.ReadBatch(path);

        Assert.Equal([3L, 3, 32, 32], data.Features.shape);
        Assert.Equal(ScalarType.Float32, data.Features.dtype);
        Assert.Equal(ScalarType.Int64, data.Labels.dtype);
        Assert.Equal([4L, 5, 6], data.Labels.data<long>().ToArray());
        foreach (var (record, channel, row, column) in new[] { (0, 0, 0, 0), (1, 0, 0, 2), (2, 1, 5, 7), (0, 2, 31, 31), (2, 2, 17, 3) })
        {
            var expected = CifarFiles.Pixel(record, channel, row * 32 + column, seed: 4);
            Assert.Equal(expected, data.Features[record, channel, row, column].item<float>());
        }
    }

    [Fact]
    public void PlainAndGzippedFoldersLoadTheSameSplit()
    {
        // Official files hold 10,000 records; a folder of them is built once per run here and kept small by gzip.
        var records = Enumerable.Range(0, 6).Select(seed => CifarFiles.Records(10_000, seed)).ToArray();
        for (var i = 0; i < records.Length; i++)
        {
            files.Write(Path.Combine("plain", "cifar-10-batches-bin", CifarFiles.Batches[i] + ".bin"), records[i]);
            files.Write(Path.Combine("gz", "cifar-10-batches-bin", CifarFiles.Batches[i] + ".bin.gz"), CifarFiles.Gzip(records[i]));
        }

        var plain = Cifar10.LoadFrom(Path.Combine(files.Root, "plain", "cifar-10-batches-bin"));
        var gzipped = Cifar10.LoadFrom(Path.Combine(files.Root, "gz", "cifar-10-batches-bin"));

        Assert.Equal(45_000, plain.Train.Count);
        Assert.Equal(5_000, plain.Valid.Count);
        Assert.Equal(10_000, plain.Test.Count);
        Assert.True(plain.Train.Features.eq(gzipped.Train.Features).all().item<bool>());
        Assert.True(plain.Test.Labels.eq(gzipped.Test.Labels).all().item<bool>());

        // Valid is data_batch_1's first 5,000; Train starts at its 5,001st record and ends with data_batch_5's last.
        Assert.Equal(CifarFiles.Pixel(4_999, 1, 0, seed: 0), plain.Valid.Features[4_999, 1, 0, 0].item<float>());
        Assert.Equal(CifarFiles.Pixel(5_000, 0, 3, seed: 0), plain.Train.Features[0, 0, 0, 3].item<float>());
        Assert.Equal((9_999 + 4) % 10, plain.Train.Labels[44_999].item<long>());
        Assert.Equal(CifarFiles.Pixel(9_999, 2, 1023, seed: 5), plain.Test.Features[9_999, 2, 31, 31].item<float>());
    }

    [Fact]
    public void LoadingAFolderWhoseBatchIsShortNamesThatFile()
    {
        var place = files.CompleteFolder("short");

        var error = Assert.Throws<InvalidDataException>(() => Cifar10.LoadFrom(Path.Combine(place, "cifar-10-batches-bin")));

        Assert.Contains(Path.Combine(place, "cifar-10-batches-bin", "data_batch_1.bin"), error.Message);
        Assert.Contains("exactly 10,000", error.Message);
    }

    public void Dispose() => files.Dispose();
}

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
    public void PlainAndGzippedFoldersLoadTheSameSplitInTheOfficialOrder()
    {
        // Batches of 4 records (seed = batch index); validation = the first 3 of data_batch_1, as the book's 5,000 of 10,000.
        var plainFolder = Path.Combine(files.CompleteFolder("plain", recordsPerFile: 4), "cifar-10-batches-bin");
        var gzippedFolder = Path.Combine(files.CompleteFolder("gz", gzipped: true, recordsPerFile: 4), "cifar-10-batches-bin");

        var plain = Cifar10.LoadFrom(plainFolder, recordsPerFile: 4, validationCount: 3);
        var gzipped = Cifar10.LoadFrom(gzippedFolder, recordsPerFile: 4, validationCount: 3);

        Assert.Equal([17, 3, 4], new[] { plain.Train.Count, plain.Valid.Count, plain.Test.Count });
        Assert.True(plain.Train.Features.eq(gzipped.Train.Features).all().item<bool>());
        Assert.True(plain.Valid.Features.eq(gzipped.Valid.Features).all().item<bool>());
        Assert.True(plain.Test.Labels.eq(gzipped.Test.Labels).all().item<bool>());

        Assert.Equal(CifarFiles.Pixel(2, 1, 0, seed: 0), plain.Valid.Features[2, 1, 0, 0].item<float>());
        Assert.Equal(CifarFiles.Pixel(3, 0, 3, seed: 0), plain.Train.Features[0, 0, 0, 3].item<float>());
        Assert.Equal(CifarFiles.Pixel(0, 2, 40, seed: 1), plain.Train.Features[1, 2, 1, 8].item<float>());
        Assert.Equal((3 + 4) % 10, plain.Train.Labels[16].item<long>());
        Assert.Equal(CifarFiles.Pixel(3, 2, 1023, seed: 5), plain.Test.Features[3, 2, 31, 31].item<float>());
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

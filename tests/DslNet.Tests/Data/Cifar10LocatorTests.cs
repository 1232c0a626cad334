using DslNet.Data;
using Xunit;

namespace DslNet.Tests.Data;

/// <summary>Where the files are looked for, and the download into the cache (with an injected HTTP handler; no network).</summary>
public sealed class Cifar10LocatorTests : IDisposable
{
    private readonly CifarFiles files = new();

    private string Cache => Path.Combine(files.Root, "cache");

    private DataFolders Folders(string? explicitFolder = null, string? environmentFolder = null) =>
        new(explicitFolder, environmentFolder, Cache);

    [Fact]
    public void ExplicitFolderComesBeforeTheEnvironmentAndTheCache()
    {
        var explicitFolder = files.CompleteFolder("explicit");
        var environmentFolder = files.CompleteFolder("env", gzipped: true);
        files.CompleteFolder("cache");

        var found = Cifar10Locator.Locate(Folders(explicitFolder, environmentFolder), Cifar10Download.Disabled);

        Assert.Equal(Path.Combine(explicitFolder, "cifar-10-batches-bin"), found);
    }

    [Fact]
    public void EnvironmentFolderComesBeforeTheCache()
    {
        var environmentFolder = files.CompleteFolder("env", gzipped: true);
        files.CompleteFolder("cache");

        var found = Cifar10Locator.Locate(Folders(environmentFolder: environmentFolder), Cifar10Download.Disabled);

        Assert.Equal(Path.Combine(environmentFolder, "cifar-10-batches-bin"), found);
    }

    [Fact]
    public void CacheIsTheLastPlace()
    {
        files.CompleteFolder("cache");

        var found = Cifar10Locator.Locate(Folders(Path.Combine(files.Root, "absent")), Cifar10Download.Disabled);

        Assert.Equal(Path.Combine(Cache, "cifar-10-batches-bin"), found);
    }

    [Fact]
    public void FolderPassedIsAcceptedWhenItIsTheBatchesFolderItself()
    {
        var batches = Path.Combine(files.CompleteFolder("explicit"), "cifar-10-batches-bin");

        Assert.Equal(batches, Cifar10Locator.Locate(Folders(batches), Cifar10Download.Disabled));
    }

    [Fact]
    public void IncompleteFolderIsAnErrorListingTheMissingBatches()
    {
        var place = files.CompleteFolder("explicit");
        File.Delete(Path.Combine(place, "cifar-10-batches-bin", "test_batch.bin"));
        File.Delete(Path.Combine(place, "cifar-10-batches-bin", "data_batch_3.bin"));

        var error = Assert.Throws<FileNotFoundException>(() => Cifar10Locator.Locate(Folders(place), Cifar10Download.Disabled));

        Assert.Contains(Path.Combine(place, "cifar-10-batches-bin"), error.Message);
        Assert.Contains("data_batch_3.bin[.gz], test_batch.bin[.gz]", error.Message);
    }

    [Fact]
    public void OfflineFailsWithOneMessageListingEveryPlaceAndHowToProvideTheFiles()
    {
        var http = FakeHttp.Offline();
        var explicitFolder = Path.Combine(files.Root, "given");
        var environmentFolder = Path.Combine(files.Root, "env");

        var error = Assert.Throws<DirectoryNotFoundException>(() =>
            Cifar10Locator.Locate(Folders(explicitFolder, environmentFolder), Quiet(http, Cifar10Download.OfficialMd5)));

        Assert.Equal(1, http.Requests);
        var message = error.Message;
        Assert.Contains(Path.Combine(explicitFolder, "cifar-10-batches-bin"), message);
        Assert.Contains(Path.Combine(environmentFolder, "cifar-10-batches-bin"), message);
        Assert.Contains(Path.Combine(Cache, "cifar-10-batches-bin"), message);
        Assert.Contains("No such host is known", message);
        Assert.Contains("--data DIR", message);
        Assert.Contains("DSLNET_DATA", message);
        Assert.Contains(Cifar10Download.OfficialUrl.ToString(), message);
        Assert.IsType<HttpRequestException>(error.InnerException);
        AssertCacheHoldsNoFiles();
    }

    [Fact]
    public void UnsetPlacesAreSaidToBeNotSet()
    {
        var error = Assert.Throws<DirectoryNotFoundException>(() => Cifar10Locator.Locate(Folders(), Cifar10Download.Disabled));

        Assert.Contains("downloading is disabled", error.Message);
        Assert.Contains("1. --data DIR (Cifar10.Load(dataDir)): not set", error.Message);
        Assert.Contains("2. $DSLNET_DATA: not set", error.Message);
        Assert.Contains("3. the cache folder: ", error.Message);
    }

    [Fact]
    public void ArchiveIsDownloadedCheckedAndExtractedIntoTheCache()
    {
        var archive = CifarFiles.Archive(CifarFiles.Batches);
        var http = FakeHttp.Serving(archive);
        var progress = new StringWriter();
        var download = Quiet(http, CifarFiles.Md5(archive)) with { ShowProgress = true, Progress = progress };

        var found = Cifar10Locator.Locate(Folders(), download);

        Assert.Equal(Path.Combine(Cache, "cifar-10-batches-bin"), found);
        Assert.Equal([Path.Combine(Cache, "cifar-10-batches-bin")], Directory.GetFileSystemEntries(Cache));
        for (var i = 0; i < CifarFiles.Batches.Length; i++)
        {
            Assert.Equal(CifarFiles.Records(2, seed: i), Cifar10.ReadBatchFile(Path.Combine(found, CifarFiles.Batches[i] + ".bin")));
        }

        Assert.Contains("Downloading cifar-10-binary.tar.gz", progress.ToString());
        Assert.Contains("100%", progress.ToString());

        // A second search finds the cache without downloading again.
        Assert.Equal(found, Cifar10Locator.Locate(Folders(), download));
        Assert.Equal(1, http.Requests);
    }

    [Fact]
    public void WrongChecksumIsAnErrorAndLeavesNothingInTheCache()
    {
        var archive = CifarFiles.Archive(CifarFiles.Batches);
        var http = FakeHttp.Serving(archive);

        var error = Assert.Throws<DirectoryNotFoundException>(() => Cifar10Locator.Locate(Folders(), Quiet(http, Cifar10Download.OfficialMd5)));

        Assert.Contains($"has MD5 {CifarFiles.Md5(archive)}, but {Cifar10Download.OfficialMd5} was expected", error.Message);
        Assert.IsType<InvalidDataException>(error.InnerException);
        AssertCacheHoldsNoFiles();
    }

    [Fact]
    public void ArchiveWithoutEveryBatchIsAnErrorAndLeavesNothingInTheCache()
    {
        var archive = CifarFiles.Archive(CifarFiles.Batches.Take(5));
        var http = FakeHttp.Serving(archive);

        var error = Assert.Throws<DirectoryNotFoundException>(() => Cifar10Locator.Locate(Folders(), Quiet(http, CifarFiles.Md5(archive))));

        Assert.Contains("lacks cifar-10-batches-bin/test_batch.bin", error.Message);
        AssertCacheHoldsNoFiles();
    }

    private static Cifar10Download Quiet(FakeHttp http, string md5) => new() { Handler = http, Md5 = md5, ShowProgress = false };

    private void AssertCacheHoldsNoFiles() =>
        Assert.Empty(Directory.Exists(Cache) ? Directory.GetFileSystemEntries(Cache, "*", SearchOption.AllDirectories) : []);

    public void Dispose() => files.Dispose();
}

using DslNet.IO;
using Xunit;

namespace DslNet.Tests.IO;

/// <summary>
/// A failed fsync is reported, never swallowed: on the file (before the rename) the target keeps its old content and no
/// temporary file is left; on the folder (after the rename) the write is in place but the caller is told it may not
/// survive a crash. File systems that cannot sync (EINVAL, EOPNOTSUPP) are not failures.
/// </summary>
public sealed class DurabilityTests : IDisposable
{
    private const int InputOutputError = 5; // EIO
    private const int InvalidArgument = 22; // EINVAL

    private readonly string folder = Directory.CreateTempSubdirectory("dslnet-durability-").FullName;

    public void Dispose()
    {
        Durability.FlushOverride.Value = null;
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void A_failed_flush_of_the_file_is_an_error_and_leaves_the_target_as_it_was()
    {
        var path = Path.Combine(folder, "model.weights");
        File.WriteAllText(path, "old");
        Durability.FlushOverride.Value = _ => InputOutputError;

        var error = Assert.Throws<IOException>(() => AtomicFile.WriteAllText(path, "new"));

        Assert.Contains("errno 5", error.Message);
        Assert.Contains(".model.weights.", error.Message); // the temporary file it was flushing
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(folder));
    }

    [Fact]
    public void A_failed_flush_of_the_folder_is_an_error_after_the_file_is_in_place()
    {
        var path = Path.Combine(folder, "model.weights");
        var calls = 0;
        Durability.FlushOverride.Value = _ => ++calls == 2 ? InputOutputError : 0; // the file syncs, the folder fails

        var error = Assert.Throws<IOException>(() => AtomicFile.WriteAllText(path, "new"));

        Assert.Contains($"the folder '{folder}'", error.Message);
        Assert.Contains("may not be after a crash", error.Message);
        Assert.Equal("new", File.ReadAllText(path));
    }

    [Fact]
    public void A_file_system_that_cannot_sync_is_not_a_failure()
    {
        var path = Path.Combine(folder, "model.weights");
        Durability.FlushOverride.Value = _ => InvalidArgument;

        AtomicFile.WriteAllText(path, "new");

        Assert.Equal("new", File.ReadAllText(path));
    }
}

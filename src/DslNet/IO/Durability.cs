using System.Runtime.InteropServices;

namespace DslNet.IO;

/// <summary>
/// Forces written data to the disk (<c>fsync</c>), so that a file renamed into place holds what was written even after a
/// crash or a power cut: without it, the rename can reach the disk before the data, leaving an empty or partial file under
/// the final name. The rename itself is durable once the folder is synced too (Linux; elsewhere, and on file systems that
/// cannot sync a folder, that step is skipped).
/// </summary>
internal static partial class Durability
{
    private const int ReadOnly = 0; // O_RDONLY
    private const int Directory = 0x10000; // O_DIRECTORY (Linux x64 and arm64)
    private const int CloseOnExec = 0x80000; // O_CLOEXEC (Linux)
    private const int InvalidArgument = 22; // EINVAL: the file system cannot sync this kind of file
    private const int NotSupported = 95; // EOPNOTSUPP

    /// <summary>
    /// A stand-in for <c>fsync</c> on the current flow of execution only (returns 0 or an errno): tests put a failing one
    /// here to check that a failure is reported, without touching other threads' writes.
    /// </summary>
    internal static readonly AsyncLocal<Func<int, int>?> FlushOverride = new();

    /// <summary>Flushes the file at <paramref name="path"/> to the disk; an I/O error doing so is an <see cref="IOException"/>.</summary>
    public static void SyncFile(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
            stream.Flush(flushToDisk: true);
            return;
        }

        // Opened read-only: fsync needs no write access, and the file may already carry read-only permissions.
        var error = Sync(path, ReadOnly | CloseOnExec);
        if (error is not 0 and not InvalidArgument and not NotSupported)
        {
            throw new IOException($"Could not flush '{path}' to the disk (errno {error}); the file may not have been written completely, so it was not put in place.");
        }
    }

    /// <summary>
    /// Flushes the folder at <paramref name="path"/> (its entries, e.g. a rename into it) to the disk, on Linux. A file
    /// system that cannot sync a folder (EINVAL, EOPNOTSUPP) is skipped; any other failure is an <see cref="IOException"/>,
    /// since the rename may then not survive a crash.
    /// </summary>
    public static void SyncFolder(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var error = Sync(path, ReadOnly | Directory | CloseOnExec);
        if (error is not 0 and not InvalidArgument and not NotSupported)
        {
            throw new IOException($"Could not flush the folder '{path}' to the disk (errno {error}): the file just renamed into it is in place now, but may not be after a crash.");
        }
    }

    /// <summary>Opens, syncs and closes <paramref name="path"/>; returns 0 or the errno of a failed sync (a file that cannot be opened is skipped).</summary>
    private static int Sync(string path, int flags)
    {
        var descriptor = Open(path, flags);
        if (descriptor < 0)
        {
            return 0; // e.g. a file written without read permission: nothing to sync it through, and nothing wrong with the data
        }

        try
        {
            return FlushOverride.Value is { } flush ? flush(descriptor) : FileSync(descriptor) == 0 ? 0 : Marshal.GetLastPInvokeError();
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FileSync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int descriptor);
}

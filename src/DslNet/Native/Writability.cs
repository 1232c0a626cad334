using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace DslNet.Native;

/// <summary>
/// Whether a file may be replaced in place. Permissions are read as the owner meant them, not as the process could
/// override them: a file or folder with no write permission for anyone is treated as not writable even by root (whom
/// <c>access(2)</c> lets write anything), and a read-only mount is not writable for anyone.
/// </summary>
internal static partial class Writability
{
    private const int WriteAccess = 2; // W_OK
    private const UnixFileMode AnyWrite = UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

    /// <summary>Whether <paramref name="path"/> may be replaced: it and its folder are meant to be written and this process may write them.</summary>
    [SupportedOSPlatform("linux")]
    public static bool CanReplace(string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return (File.GetUnixFileMode(path) & AnyWrite) != 0
            && (File.GetUnixFileMode(folder) & AnyWrite) != 0
            && Access(path, WriteAccess) == 0
            && Access(folder, WriteAccess) == 0;
    }

    [LibraryImport("libc", EntryPoint = "access", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Access(string path, int mode);
}

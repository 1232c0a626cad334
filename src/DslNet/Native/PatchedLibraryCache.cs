using System.Runtime.Versioning;
using System.Security.Cryptography;

namespace DslNet.Native;

/// <summary>
/// Patched copies of native libraries that cannot be patched where they are (read-only folders, the NuGet cache), kept in
/// a per-user cache folder: <c>$XDG_CACHE_HOME/dslnet/native/&lt;hash of the original&gt;/</c>. Beside each copy, a symbolic
/// link to every other file of the original folder lets the copy's <c>$ORIGIN</c> run path find its dependencies. A copy
/// found there is used only if its content is exactly the expected patched bytes (SHA-256), else it is written again
/// (atomically, so processes starting together never see half a copy).
/// </summary>
internal static class PatchedLibraryCache
{
    /// <summary>Places <paramref name="patched"/>, the patched form of <paramref name="original"/>, in the cache and returns its path.</summary>
    [SupportedOSPlatform("linux")]
    public static string Place(string original, byte[] originalContent, byte[] patched, string? root = null)
    {
        var hash = Convert.ToHexString(SHA256.HashData(originalContent))[..16].ToLowerInvariant();
        var folder = Path.Combine(root ?? DefaultRoot(), hash);
        var copy = Path.Combine(folder, Path.GetFileName(original));
        if (!HoldsExactly(copy, patched))
        {
            LibStdCxxVersionPatcher.Write(patched, copy, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        foreach (var sibling in Directory.EnumerateFiles(Path.GetDirectoryName(original)!))
        {
            var link = Path.Combine(folder, Path.GetFileName(sibling));
            if (link != copy && new FileInfo(link).LinkTarget is null)
            {
                try
                {
                    File.CreateSymbolicLink(link, sibling);
                }
                catch (IOException) when (new FileInfo(link).LinkTarget is not null)
                {
                    // Another process created the same link first.
                }
            }
        }

        return copy;
    }

    /// <summary>Whether the file at <paramref name="path"/> exists with exactly <paramref name="expected"/> as its content.</summary>
    public static bool HoldsExactly(string path, byte[] expected)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists && info.LinkTarget is null && info.Length == expected.Length
                && SHA256.HashData(File.ReadAllBytes(path)).AsSpan().SequenceEqual(SHA256.HashData(expected));
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The per-user cache root: <c>$XDG_CACHE_HOME/dslnet/native</c>, else <c>~/.cache/dslnet/native</c>.</summary>
    public static string DefaultRoot()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var cache = !string.IsNullOrEmpty(xdg) ? xdg
            : !string.IsNullOrEmpty(home) ? Path.Combine(home, ".cache")
            : Path.Combine(Path.GetTempPath(), $"dslnet-{Environment.UserName}");
        return Path.Combine(cache, "dslnet", "native");
    }
}

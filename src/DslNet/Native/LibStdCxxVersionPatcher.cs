using System.Buffers.Binary;
using System.Runtime.Versioning;
using DslNet.IO;

namespace DslNet.Native;

/// <summary>
/// Makes a library built against a newer libstdc++ load on an older one, when that is safe: a needed libstdc++
/// version the host lacks is marked weak (VER_FLG_WEAK in its Vernaux entry) if no relocation binds any symbol of that
/// version, so the loader has nothing to look up in it. If a relocation does, the library really needs the newer runtime
/// and <see cref="LibStdCxxTooOldException"/> says so.
/// </summary>
internal static class LibStdCxxVersionPatcher
{
    /// <summary>
    /// The libstdc++ versions <paramref name="library"/> needs, the host lacks, and that are not weak yet.
    /// Throws <see cref="LibStdCxxTooOldException"/> if a symbol of such a version is referenced by a relocation.
    /// </summary>
    public static IReadOnlyList<ElfNeededVersion> VersionsToWeaken(ElfFile library, HostLibStdCxx host)
    {
        var missing = library.NeededVersions
            .Where(v => v.File == HostLibStdCxx.FileName && !v.IsWeak && !host.Versions.Contains(v.Name))
            .ToList();
        foreach (var version in missing)
        {
            var used = library.SymbolsCarrying(version).Where(library.IsReferencedByRelocation).Select(s => s.Name).ToList();
            if (used.Count > 0)
            {
                throw new LibStdCxxTooOldException(library.Path, version.Name, host.Path, used);
            }
        }
        return missing;
    }

    /// <summary>
    /// Returns <paramref name="content"/> (the library at <paramref name="path"/>) with the versions of
    /// <see cref="VersionsToWeaken"/> marked weak, or null when there is nothing to change.
    /// </summary>
    public static byte[]? Patch(byte[] content, string path, HostLibStdCxx host)
    {
        var versions = VersionsToWeaken(ElfFile.Parse(content, path), host);
        if (versions.Count == 0)
        {
            return null;
        }
        var patched = (byte[])content.Clone();
        foreach (var version in versions)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(patched.AsSpan((int)version.FlagsOffset, 2), (ushort)(version.Flags | ElfNeededVersion.WeakFlag));
        }
        return patched;
    }

    /// <summary>
    /// Patches the library at <paramref name="path"/> in place (atomically: a patched copy beside it is renamed over it).
    /// Returns whether it changed; an unchanged library is not rewritten.
    /// </summary>
    [SupportedOSPlatform("linux")]
    public static bool PatchInPlace(string path, HostLibStdCxx host)
    {
        var patched = Patch(File.ReadAllBytes(path), path, host);
        if (patched is null)
        {
            return false;
        }
        Write(patched, path, File.GetUnixFileMode(path));
        return true;
    }

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> atomically with the given permissions.</summary>
    [SupportedOSPlatform("linux")]
    public static void Write(byte[] content, string path, UnixFileMode mode) => AtomicFile.Write(path, temporary =>
    {
        File.WriteAllBytes(temporary, content);
        File.SetUnixFileMode(temporary, mode);
    });
}

using System.Runtime.Versioning;
using DslNet.Native;
using Xunit;

namespace DslNet.Tests.Native;

[SupportedOSPlatform("linux")]
public sealed class LibStdCxxVersionPatcherTests
{
    private const string FakeHostPath = "/fake/libstdc++.so.6";

    [Fact]
    public void PatchingMarksOnlyTheMissingVersionWeak()
    {
        using var library = new PristineTorchLibrary();
        var original = library.Bytes();
        var missing = ElfFile.Read(library.Path).NeededVersions.Single(v => v.Name == "GLIBCXX_3.4.32");

        Assert.True(LibStdCxxVersionPatcher.PatchInPlace(library.Path, HostUpTo30()));

        var patched = library.Bytes();
        Assert.Equal(original.Length, patched.Length);
        var changed = Enumerable.Range(0, original.Length).Where(i => original[i] != patched[i]).ToList();
        Assert.Equal([(int)missing.FlagsOffset], changed);
        Assert.Equal(ElfNeededVersion.WeakFlag, patched[missing.FlagsOffset]);
        var reread = ElfFile.Read(library.Path).NeededVersions;
        Assert.Equal(["GLIBCXX_3.4.32"], reread.Where(v => v.IsWeak).Select(v => v.Name));
    }

    [Fact]
    public void PatchingKeepsTheFilePermissions()
    {
        using var library = new PristineTorchLibrary();
        var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead;
        File.SetUnixFileMode(library.Path, mode);

        LibStdCxxVersionPatcher.PatchInPlace(library.Path, HostUpTo30());

        Assert.Equal(mode, File.GetUnixFileMode(library.Path));
        Assert.Equal(["libLibTorchSharp.so"], Directory.GetFiles(library.Folder).Select(Path.GetFileName));
    }

    [Fact]
    public void PatchingTwiceChangesNothingTheSecondTime()
    {
        using var library = new PristineTorchLibrary();
        LibStdCxxVersionPatcher.PatchInPlace(library.Path, HostUpTo30());
        var once = library.Bytes();
        var written = File.GetLastWriteTimeUtc(library.Path);

        Assert.False(LibStdCxxVersionPatcher.PatchInPlace(library.Path, HostUpTo30()));

        Assert.Equal(once, library.Bytes());
        Assert.Equal(written, File.GetLastWriteTimeUtc(library.Path));
    }

    [Fact]
    public void ConcurrentPatchersLeaveOneWholePatchedFile()
    {
        using var library = new PristineTorchLibrary();
        var expected = LibStdCxxVersionPatcher.Patch(library.Bytes(), library.Path, HostUpTo30());
        var host = HostUpTo30();

        Parallel.For(0, 8, _ => LibStdCxxVersionPatcher.PatchInPlace(library.Path, host));

        Assert.Equal(expected, library.Bytes());
        Assert.Equal(["libLibTorchSharp.so"], Directory.GetFiles(library.Folder).Select(Path.GetFileName));
    }

    [Fact]
    public void HostThatDefinesTheVersionLeavesTheLibraryUntouched()
    {
        using var library = new PristineTorchLibrary();
        var original = library.Bytes();
        var newer = new HostLibStdCxx(FakeHostPath, HostUpTo30().Versions.Append("GLIBCXX_3.4.31").Append("GLIBCXX_3.4.32").ToHashSet());

        Assert.False(LibStdCxxVersionPatcher.PatchInPlace(library.Path, newer));

        Assert.Equal(original, library.Bytes());
    }

    [Fact]
    public void MissingVersionThatRelocationsUseIsRefusedWithTheFix()
    {
        using var library = new PristineTorchLibrary();
        var original = library.Bytes();
        var older = new HostLibStdCxx(FakeHostPath, HostUpTo30().Versions.Where(v => v != "GLIBCXX_3.4.30").ToHashSet());

        var error = Assert.Throws<LibStdCxxTooOldException>(() => LibStdCxxVersionPatcher.PatchInPlace(library.Path, older));

        Assert.Equal(library.Path, error.Library);
        Assert.Equal("GLIBCXX_3.4.30", error.Version);
        Assert.Equal(FakeHostPath, error.HostLibraryPath);
        Assert.Contains(library.Path, error.Message);
        Assert.Contains("GLIBCXX_3.4.30", error.Message);
        Assert.Contains(FakeHostPath, error.Message);
        Assert.Contains("install a newer libstdc++ (the GCC 13 or later runtime", error.Message);
        Assert.Equal(original, library.Bytes());
    }

    [Fact]
    public void PatchedCopyGoesToTheCacheBesideLinksToTheOriginalsSiblings()
    {
        using var library = new PristineTorchLibrary();
        using var cache = new PristineTorchLibrary();
        var sibling = Path.Combine(library.Folder, "libtorch.so");
        File.WriteAllText(sibling, "stand-in for libtorch");
        var original = library.Bytes();
        var patched = LibStdCxxVersionPatcher.Patch(original, library.Path, HostUpTo30())!;

        var copy = PatchedLibraryCache.Place(library.Path, original, patched, cache.Folder);
        var again = PatchedLibraryCache.Place(library.Path, original, patched, cache.Folder);

        Assert.Equal(copy, again);
        Assert.StartsWith(cache.Folder, copy);
        Assert.Equal(patched, File.ReadAllBytes(copy));
        Assert.Equal(original, library.Bytes());
        var link = Path.Combine(Path.GetDirectoryName(copy)!, "libtorch.so");
        Assert.Equal(sibling, new FileInfo(link).LinkTarget);
    }

    /// <summary>The versions a GCC 12 libstdc++ (Debian 12) defines, up to GLIBCXX_3.4.30, taken from the library's own needs.</summary>
    internal static HostLibStdCxx HostUpTo30()
    {
        using var library = new PristineTorchLibrary();
        var versions = ElfFile.Read(library.Path).NeededVersions
            .Where(v => v.File == "libstdc++.so.6" && v.Name is not ("GLIBCXX_3.4.31" or "GLIBCXX_3.4.32"))
            .Select(v => v.Name);
        return new HostLibStdCxx(FakeHostPath, versions.ToHashSet());
    }
}

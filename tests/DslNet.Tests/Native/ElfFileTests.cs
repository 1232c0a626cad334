using DslNet.Native;
using Xunit;

namespace DslNet.Tests.Native;

public sealed class ElfFileTests
{
    // Offsets and indices below were read independently with `readelf -V` on the TorchSharp 0.107.0 library.
    private const long VersionNeedsOffset = 0x3f8f0;

    [Fact]
    public void TorchLibraryNeedsGlibcxx3432FromLibStdCxx()
    {
        using var library = new PristineTorchLibrary();
        var elf = ElfFile.Read(library.Path);

        var needed = Assert.Single(elf.NeededVersions, v => v.Name == "GLIBCXX_3.4.32");
        Assert.Equal("libstdc++.so.6", needed.File);
        Assert.False(needed.IsWeak);
        Assert.Equal(18, needed.Index);
        Assert.Equal(VersionNeedsOffset + 0x140, needed.EntryOffset);
        Assert.Equal(20, elf.NeededVersions.Count(v => v.File == "libstdc++.so.6"));
        Assert.Equal(["GLIBC_2.3"], elf.NeededVersions.Where(v => v.File == "ld-linux-x86-64.so.2").Select(v => v.Name));
    }

    [Fact]
    public void ExactlyOneSymbolCarriesGlibcxx3432AndNoRelocationReferencesIt()
    {
        using var library = new PristineTorchLibrary();
        var elf = ElfFile.Read(library.Path);
        var needed = elf.NeededVersions.Single(v => v.Name == "GLIBCXX_3.4.32");

        var symbol = Assert.Single(elf.SymbolsCarrying(needed));
        Assert.Equal("_ZSt21ios_base_library_initv", symbol.Name);
        Assert.False(elf.IsReferencedByRelocation(symbol));
    }

    [Fact]
    public void RelocationsReferenceTheSymbolsOfCommonlyUsedVersions()
    {
        using var library = new PristineTorchLibrary();
        var elf = ElfFile.Read(library.Path);
        var baseline = elf.NeededVersions.Single(v => v.Name == "GLIBCXX_3.4");

        Assert.Contains(elf.SymbolsCarrying(baseline), elf.IsReferencedByRelocation);
    }

    [Fact]
    public void TorchLibraryDefinesNoVersions()
    {
        using var library = new PristineTorchLibrary();

        Assert.Empty(ElfFile.Read(library.Path).DefinedVersions);
    }

    [Fact]
    public void TruncatedLibraryIsRejectedWithItsName()
    {
        using var library = new PristineTorchLibrary();
        var truncated = library.Bytes()[..0x3f900];

        var error = Assert.Throws<InvalidDataException>(() => ElfFile.Parse(truncated, "cut.so"));
        Assert.Contains("'cut.so'", error.Message);
        Assert.Contains("lies outside the file", error.Message);
    }

    [Fact]
    public void NonElfFileIsRejected()
    {
        var error = Assert.Throws<InvalidDataException>(() => ElfFile.Parse(new byte[128], "zeros.so"));

        Assert.Contains("ELF magic", error.Message);
    }
}

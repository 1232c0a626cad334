namespace DslNet.Native;

/// <summary>
/// The symbol-versioning facts of a 64-bit little-endian ELF shared library, read from its section headers:
/// the versions it needs (<c>.gnu.version_r</c>), the versions it defines (<c>.gnu.version_d</c>), its dynamic symbols
/// with their version indices (<c>.dynsym</c>, <c>.dynstr</c>, <c>.gnu.version</c>) and which of those symbols its dynamic
/// relocations (<c>.rela.dyn</c>, <c>.rela.plt</c>, any REL/RELA section linked to <c>.dynsym</c>) reference.
/// Sections are found by type, not by name; every read is bounds-checked.
/// </summary>
internal sealed class ElfFile
{
    private const int HeaderSize = 64;
    private const int SectionHeaderSize = 64;
    private const int SymbolSize = 24;
    private const int VerneedSize = 16;
    private const int VernauxSize = 16;
    private const int VerdefSize = 20;
    private const int VerdauxSize = 8;
    private const ushort VersionBaseFlag = 0x1;
    private const ushort HiddenVersionBit = 0x8000;

    private readonly HashSet<int> relocatedSymbols;

    private ElfFile(string path, IReadOnlyList<ElfNeededVersion> needed, IReadOnlyList<string> defined,
        IReadOnlyList<ElfDynamicSymbol> symbols, HashSet<int> relocatedSymbols)
    {
        Path = path;
        NeededVersions = needed;
        DefinedVersions = defined;
        DynamicSymbols = symbols;
        this.relocatedSymbols = relocatedSymbols;
    }

    /// <summary>The file this was read from (used in messages).</summary>
    public string Path { get; }

    /// <summary>Every Vernaux entry, in file order.</summary>
    public IReadOnlyList<ElfNeededVersion> NeededVersions { get; }

    /// <summary>The names of the versions this file defines (the base definition, which names the file itself, excluded).</summary>
    public IReadOnlyList<string> DefinedVersions { get; }

    /// <summary>The dynamic symbols, indexed as in <c>.dynsym</c> (entry 0 is the null symbol).</summary>
    public IReadOnlyList<ElfDynamicSymbol> DynamicSymbols { get; }

    /// <summary>Reads and parses the file at <paramref name="path"/>.</summary>
    public static ElfFile Read(string path) => Parse(File.ReadAllBytes(path), path);

    /// <summary>Parses <paramref name="content"/>; <paramref name="path"/> only names the file in errors.</summary>
    public static ElfFile Parse(byte[] content, string path)
    {
        var bytes = new ElfBytes(content, path);
        var sections = ReadSections(bytes);
        var dynsym = sections.FirstOrDefault(s => s.Type == ElfSection.DynamicSymbols);
        var symbols = dynsym.Type == ElfSection.DynamicSymbols ? ReadSymbols(bytes, sections, dynsym) : [];
        var relocated = dynsym.Type == ElfSection.DynamicSymbols ? ReadRelocatedSymbols(bytes, sections, dynsym, symbols.Count) : [];
        var needed = sections.Where(s => s.Type == ElfSection.VersionNeeds).SelectMany(s => ReadNeeds(bytes, sections, s)).ToList();
        var defined = sections.Where(s => s.Type == ElfSection.VersionDefinitions).SelectMany(s => ReadDefinitions(bytes, sections, s)).ToList();
        return new ElfFile(path, needed, defined, symbols, relocated);
    }

    /// <summary>The dynamic symbols whose <c>.gnu.version</c> index is the version's <c>vna_other</c>.</summary>
    public IReadOnlyList<ElfDynamicSymbol> SymbolsCarrying(ElfNeededVersion version) =>
        DynamicSymbols.Where(s => s.Index != 0 && s.VersionIndex == version.Index).ToList();

    /// <summary>Whether any dynamic relocation names <paramref name="symbol"/> (so the loader must bind it).</summary>
    public bool IsReferencedByRelocation(ElfDynamicSymbol symbol) => relocatedSymbols.Contains(symbol.Index);

    private static List<ElfSection> ReadSections(ElfBytes bytes)
    {
        bytes.Span(0, HeaderSize, "the ELF header");
        if (bytes.U8(0, "magic") != 0x7f || bytes.U8(1, "magic") != (byte)'E' || bytes.U8(2, "magic") != (byte)'L' || bytes.U8(3, "magic") != (byte)'F')
        {
            throw bytes.Corrupt("it does not start with the ELF magic bytes");
        }
        if (bytes.U8(4, "EI_CLASS") != 2 || bytes.U8(5, "EI_DATA") != 1)
        {
            throw bytes.Corrupt("it is not a 64-bit little-endian ELF file");
        }
        var tableOffset = Offset(bytes, bytes.U64(0x28, "e_shoff"), "e_shoff");
        var entrySize = bytes.U16(0x3a, "e_shentsize");
        long count = bytes.U16(0x3c, "e_shnum");
        if (tableOffset == 0)
        {
            throw bytes.Corrupt("it has no section header table");
        }
        if (entrySize < SectionHeaderSize)
        {
            throw bytes.Corrupt($"its section header entries are {entrySize} bytes, fewer than {SectionHeaderSize}");
        }
        if (count == 0)
        {
            // More than 0xff00 sections: the real count is in the first section header's sh_size.
            count = Offset(bytes, bytes.U64(tableOffset + 32, "the first section header"), "the section count");
        }
        bytes.Span(tableOffset, count * entrySize, "the section header table");
        var sections = new List<ElfSection>((int)count);
        for (var i = 0; i < count; i++)
        {
            var at = tableOffset + (i * entrySize);
            sections.Add(new ElfSection(
                i,
                bytes.U32(at + 4, "sh_type"),
                Offset(bytes, bytes.U64(at + 24, "sh_offset"), "sh_offset"),
                Offset(bytes, bytes.U64(at + 32, "sh_size"), "sh_size"),
                bytes.U32(at + 40, "sh_link"),
                bytes.U32(at + 44, "sh_info"),
                Offset(bytes, bytes.U64(at + 56, "sh_entsize"), "sh_entsize")));
        }
        return sections;
    }

    private static List<ElfDynamicSymbol> ReadSymbols(ElfBytes bytes, List<ElfSection> sections, ElfSection dynsym)
    {
        RequireEntrySize(bytes, dynsym, SymbolSize, ".dynsym");
        bytes.Span(dynsym.Offset, dynsym.Size, ".dynsym");
        var names = LinkedStringTable(bytes, sections, dynsym, ".dynsym");
        var count = (int)(dynsym.Size / SymbolSize);
        var versym = sections.FirstOrDefault(s => s.Type == ElfSection.VersionSymbols);
        var hasVersions = versym.Type == ElfSection.VersionSymbols;
        if (hasVersions && versym.Size < count * 2L)
        {
            throw bytes.Corrupt($".gnu.version has {versym.Size / 2} entries for {count} dynamic symbols");
        }
        var symbols = new List<ElfDynamicSymbol>(count);
        for (var i = 0; i < count; i++)
        {
            var at = dynsym.Offset + ((long)i * SymbolSize);
            var name = bytes.CString(names.Offset, names.Size, bytes.U32(at, "st_name"), $"the name of dynamic symbol {i}");
            var version = hasVersions ? (ushort)(bytes.U16(versym.Offset + (2L * i), ".gnu.version") & ~HiddenVersionBit) : (ushort)1;
            symbols.Add(new ElfDynamicSymbol(i, name, version));
        }
        return symbols;
    }

    private static HashSet<int> ReadRelocatedSymbols(ElfBytes bytes, List<ElfSection> sections, ElfSection dynsym, int symbolCount)
    {
        var relocated = new HashSet<int>();
        foreach (var section in sections.Where(s => (s.Type is ElfSection.Rela or ElfSection.Rel) && s.Link == dynsym.Index))
        {
            var entrySize = section.Type == ElfSection.Rela ? 24 : 16;
            RequireEntrySize(bytes, section, entrySize, "a relocation section");
            bytes.Span(section.Offset, section.Size, "a relocation section");
            for (var at = section.Offset; at + entrySize <= section.Offset + section.Size; at += entrySize)
            {
                var symbol = bytes.U64(at + 8, "r_info") >> 32;
                if (symbol >= (ulong)symbolCount)
                {
                    throw bytes.Corrupt($"a relocation names dynamic symbol {symbol}, but there are only {symbolCount}");
                }
                if (symbol != 0)
                {
                    relocated.Add((int)symbol);
                }
            }
        }
        return relocated;
    }

    private static List<ElfNeededVersion> ReadNeeds(ElfBytes bytes, List<ElfSection> sections, ElfSection section)
    {
        var names = LinkedStringTable(bytes, sections, section, ".gnu.version_r");
        var end = section.Offset + section.Size;
        bytes.Span(section.Offset, section.Size, ".gnu.version_r");
        var maxEntries = section.Size / VernauxSize;
        var needed = new List<ElfNeededVersion>();
        var at = section.Offset;
        for (var i = 0L; i < section.Info; i++)
        {
            RequireInside(bytes, at, VerneedSize, section.Offset, end, "a Verneed entry");
            var auxCount = bytes.U16(at + 2, "vn_cnt");
            if (i >= maxEntries || auxCount > maxEntries)
            {
                throw bytes.Corrupt(".gnu.version_r has more entries than fit in it");
            }
            var file = bytes.CString(names.Offset, names.Size, bytes.U32(at + 4, "vn_file"), "vn_file");
            var aux = at + bytes.U32(at + 8, "vn_aux");
            for (var j = 0; j < auxCount; j++)
            {
                RequireInside(bytes, aux, VernauxSize, section.Offset, end, "a Vernaux entry");
                needed.Add(new ElfNeededVersion(
                    file,
                    bytes.CString(names.Offset, names.Size, bytes.U32(aux + 8, "vna_name"), "vna_name"),
                    bytes.U16(aux + 4, "vna_flags"),
                    bytes.U16(aux + 6, "vna_other"),
                    aux));
                aux = Next(bytes, aux, bytes.U32(aux + 12, "vna_next"), j + 1 < auxCount, "vna_next");
            }
            at = Next(bytes, at, bytes.U32(at + 12, "vn_next"), i + 1 < section.Info, "vn_next");
        }
        return needed;
    }

    private static List<string> ReadDefinitions(ElfBytes bytes, List<ElfSection> sections, ElfSection section)
    {
        var names = LinkedStringTable(bytes, sections, section, ".gnu.version_d");
        var end = section.Offset + section.Size;
        bytes.Span(section.Offset, section.Size, ".gnu.version_d");
        if (section.Info > section.Size / VerdefSize)
        {
            throw bytes.Corrupt(".gnu.version_d has more entries than fit in it");
        }
        var defined = new List<string>();
        var at = section.Offset;
        for (var i = 0L; i < section.Info; i++)
        {
            RequireInside(bytes, at, VerdefSize, section.Offset, end, "a Verdef entry");
            var flags = bytes.U16(at + 2, "vd_flags");
            var auxCount = bytes.U16(at + 6, "vd_cnt");
            if (auxCount > 0 && (flags & VersionBaseFlag) == 0)
            {
                var aux = at + bytes.U32(at + 12, "vd_aux");
                RequireInside(bytes, aux, VerdauxSize, section.Offset, end, "a Verdaux entry");
                defined.Add(bytes.CString(names.Offset, names.Size, bytes.U32(aux, "vda_name"), "vda_name"));
            }
            at = Next(bytes, at, bytes.U32(at + 16, "vd_next"), i + 1 < section.Info, "vd_next");
        }
        return defined;
    }

    private static ElfSection LinkedStringTable(ElfBytes bytes, List<ElfSection> sections, ElfSection section, string what)
    {
        if (section.Link >= sections.Count || sections[(int)section.Link].Type != ElfSection.StringTable)
        {
            throw bytes.Corrupt($"{what} does not link to a string table");
        }
        var table = sections[(int)section.Link];
        bytes.Span(table.Offset, table.Size, $"the string table of {what}");
        return table;
    }

    private static long Next(ElfBytes bytes, long at, uint step, bool more, string what)
    {
        if (more && step == 0)
        {
            throw bytes.Corrupt($"{what} ends the chain before the announced count");
        }
        return at + step;
    }

    private static void RequireInside(ElfBytes bytes, long at, int size, long start, long end, string what)
    {
        if (at < start || at + size > end)
        {
            throw bytes.Corrupt($"{what} at offset {at} lies outside its section");
        }
    }

    private static void RequireEntrySize(ElfBytes bytes, ElfSection section, int expected, string what)
    {
        if (section.EntrySize != 0 && section.EntrySize != expected)
        {
            throw bytes.Corrupt($"{what} has {section.EntrySize}-byte entries, expected {expected}");
        }
    }

    private static long Offset(ElfBytes bytes, ulong value, string what) =>
        value <= long.MaxValue ? (long)value : throw bytes.Corrupt($"{what} is out of range");
}

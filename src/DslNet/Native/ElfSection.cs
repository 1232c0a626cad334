namespace DslNet.Native;

/// <summary>One entry of an ELF64 section header table (only the fields the version reader needs).</summary>
internal readonly record struct ElfSection(int Index, uint Type, long Offset, long Size, uint Link, uint Info, long EntrySize)
{
    public const uint StringTable = 3;
    public const uint Rela = 4;
    public const uint Rel = 9;
    public const uint DynamicSymbols = 11;
    public const uint VersionDefinitions = 0x6ffffffd;
    public const uint VersionNeeds = 0x6ffffffe;
    public const uint VersionSymbols = 0x6fffffff;
}

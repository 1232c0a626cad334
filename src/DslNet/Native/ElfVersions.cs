namespace DslNet.Native;

/// <summary>
/// A symbol version a library needs from another file: one Vernaux entry of <c>.gnu.version_r</c>.
/// </summary>
/// <param name="File">The file the version is needed from (the Verneed's <c>vn_file</c>), e.g. <c>libstdc++.so.6</c>.</param>
/// <param name="Name">The version name, e.g. <c>GLIBCXX_3.4.32</c>.</param>
/// <param name="Flags">The entry's <c>vna_flags</c>.</param>
/// <param name="Index">The entry's <c>vna_other</c>: the version index that symbols carrying this version have in <c>.gnu.version</c>.</param>
/// <param name="EntryOffset">The file offset of the Vernaux entry.</param>
internal sealed record ElfNeededVersion(string File, string Name, ushort Flags, ushort Index, long EntryOffset)
{
    /// <summary>VER_FLG_WEAK: the dynamic loader accepts a provider that lacks this version.</summary>
    public const ushort WeakFlag = 0x2;

    /// <summary>The file offset of the two-byte <c>vna_flags</c> field (after the four-byte <c>vna_hash</c>).</summary>
    public long FlagsOffset => EntryOffset + 4;

    public bool IsWeak => (Flags & WeakFlag) != 0;
}

/// <summary>A dynamic symbol and the version index <c>.gnu.version</c> gives it (hidden bit removed).</summary>
internal sealed record ElfDynamicSymbol(int Index, string Name, ushort VersionIndex);

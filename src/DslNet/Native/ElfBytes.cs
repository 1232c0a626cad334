using System.Buffers.Binary;
using System.Text;

namespace DslNet.Native;

/// <summary>
/// Bounds-checked little-endian reads over the bytes of an ELF file: every read that would leave the file
/// throws one <see cref="InvalidDataException"/> naming the file and the structure being read.
/// </summary>
internal readonly struct ElfBytes(byte[] bytes, string path)
{
    public int Length => bytes.Length;

    public string Path => path;

    public byte U8(long offset, string what) => Span(offset, 1, what)[0];

    public ushort U16(long offset, string what) => BinaryPrimitives.ReadUInt16LittleEndian(Span(offset, 2, what));

    public uint U32(long offset, string what) => BinaryPrimitives.ReadUInt32LittleEndian(Span(offset, 4, what));

    public ulong U64(long offset, string what) => BinaryPrimitives.ReadUInt64LittleEndian(Span(offset, 8, what));

    /// <summary>Reads the NUL-terminated string at <paramref name="offset"/> inside the region [start, start + size).</summary>
    public string CString(long start, long size, long offset, string what)
    {
        if (offset < 0 || offset >= size)
        {
            throw Corrupt($"{what} points outside its string table");
        }
        var region = Span(start, size, what);
        var tail = region[(int)offset..];
        var end = tail.IndexOf((byte)0);
        if (end < 0)
        {
            throw Corrupt($"{what} is not NUL-terminated inside its string table");
        }
        return Encoding.UTF8.GetString(tail[..end]);
    }

    /// <summary>Checks that [offset, offset + size) lies inside the file and returns it.</summary>
    public ReadOnlySpan<byte> Span(long offset, long size, string what)
    {
        if (offset < 0 || size < 0 || offset > bytes.Length || size > bytes.Length - offset)
        {
            throw Corrupt($"{what} (offset {offset}, {size} bytes) lies outside the file ({bytes.Length} bytes)");
        }
        return bytes.AsSpan((int)offset, (int)size);
    }

    public InvalidDataException Corrupt(string problem) =>
        new($"'{path}' is not a well-formed 64-bit little-endian ELF shared library: {problem}.");
}

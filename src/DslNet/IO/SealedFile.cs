using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace DslNet.IO;

/// <summary>
/// A file that says what it is and proves it is whole: an 8-byte magic, a UTF-8 text header (what the file holds, e.g. the
/// model's architecture), the payload's length and SHA-256, then the payload. Written atomically (see <see cref="AtomicFile"/>);
/// reading checks every part, so a truncated, corrupt or foreign file is one clear error before anything is used.
/// </summary>
internal static class SealedFile
{
    private const int MaxHeaderBytes = 1 << 20;

    /// <summary>Writes <paramref name="header"/> and the payload that <paramref name="payload"/> writes to <paramref name="path"/>, atomically.</summary>
    public static void Write(string path, string magic, string header, Action<BinaryWriter> payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        using var body = new MemoryStream();
        using (var writer = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
        {
            payload(writer);
        }

        var bytes = body.GetBuffer().AsSpan(0, (int)body.Length).ToArray();
        AtomicFile.Write(path, temporary =>
        {
            using var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write);
            using var writer = new BinaryWriter(stream, Encoding.UTF8);
            writer.Write(MagicBytes(magic));
            var headerBytes = Encoding.UTF8.GetBytes(header);
            writer.Write(headerBytes.Length);
            writer.Write(headerBytes);
            writer.Write((long)bytes.Length);
            writer.Write(SHA256.HashData(bytes));
            writer.Write(bytes);
        });
    }

    /// <summary>Whether the file at <paramref name="path"/> starts with <paramref name="magic"/>.</summary>
    public static bool HasMagic(string path, string magic)
    {
        var expected = MagicBytes(magic);
        var start = new byte[expected.Length];
        using var stream = File.OpenRead(path);
        return stream.ReadAtLeast(start, start.Length, throwOnEndOfStream: false) == start.Length && start.AsSpan().SequenceEqual(expected);
    }

    /// <summary>
    /// Reads a file written by <see cref="Write"/> with the same <paramref name="magic"/>; <paramref name="what"/> names its
    /// kind in errors ("DslNet model file"). Throws <see cref="InvalidDataException"/> naming the file when it is not such a
    /// file, is truncated, or its payload does not match its checksum.
    /// </summary>
    public static (string Header, byte[] Payload) Read(string path, string magic, string what)
    {
        var full = Path.GetFullPath(path);
        var content = File.ReadAllBytes(full);
        var expected = MagicBytes(magic);
        if (content.Length < expected.Length || !content.AsSpan(0, expected.Length).SequenceEqual(expected))
        {
            throw new InvalidDataException($"'{full}' is not a {what} (it does not start with the {what}'s mark).");
        }

        var position = expected.Length;
        var headerLength = ReadInt32(content, ref position, full, what);
        if (headerLength is < 0 or > MaxHeaderBytes || position + headerLength > content.Length)
        {
            throw Truncated(full, what, content.Length);
        }

        var header = Encoding.UTF8.GetString(content, position, headerLength);
        position += headerLength;
        var payloadLength = ReadInt64(content, ref position, full, what);
        const int HashBytes = 32;
        if (payloadLength < 0 || position + HashBytes + payloadLength != content.Length)
        {
            throw position + HashBytes + payloadLength > content.Length || payloadLength < 0
                ? Truncated(full, what, content.Length)
                : new InvalidDataException($"'{full}' is a corrupt {what}: {content.Length - position - HashBytes - payloadLength} unexpected bytes follow its content.");
        }

        var hash = content.AsSpan(position, HashBytes);
        var payload = content.AsSpan(position + HashBytes, (int)payloadLength).ToArray();
        if (!SHA256.HashData(payload).AsSpan().SequenceEqual(hash))
        {
            throw new InvalidDataException($"'{full}' is a corrupt {what}: its content does not match its checksum (the file was damaged after it was written).");
        }

        return (header, payload);
    }

    private static byte[] MagicBytes(string magic) => Encoding.ASCII.GetBytes(magic);

    private static int ReadInt32(byte[] content, ref int position, string path, string what)
    {
        if (position + sizeof(int) > content.Length)
        {
            throw Truncated(path, what, content.Length);
        }

        var value = BinaryPrimitives.ReadInt32LittleEndian(content.AsSpan(position));
        position += sizeof(int);
        return value;
    }

    private static long ReadInt64(byte[] content, ref int position, string path, string what)
    {
        if (position + sizeof(long) > content.Length)
        {
            throw Truncated(path, what, content.Length);
        }

        var value = BinaryPrimitives.ReadInt64LittleEndian(content.AsSpan(position));
        position += sizeof(long);
        return value;
    }

    private static InvalidDataException Truncated(string path, string what, long length) =>
        new($"'{path}' is a truncated {what} ({length} bytes): it ends before its content does (was the process killed while another program copied it?).");
}

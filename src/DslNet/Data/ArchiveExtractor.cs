using System.Formats.Tar;
using System.IO.Compression;

namespace DslNet.Data;

/// <summary>Unpacks the <c>cifar-10-batches-bin/</c> folder of a <c>.tar.gz</c> archive, all at once or not at all.</summary>
internal static class ArchiveExtractor
{
    /// <summary>
    /// Extracts the archive's <c>cifar-10-batches-bin/</c> entries into a temporary folder inside <paramref name="destination"/>,
    /// checks that every batch is there, then renames it to <c>destination/cifar-10-batches-bin</c>. Returns that folder.
    /// On failure the temporary folder is removed and nothing else is written.
    /// </summary>
    public static string Extract(string archive, string destination)
    {
        var target = Path.Combine(destination, Cifar10Format.FolderName);
        var staging = Path.Combine(destination, $".{Cifar10Format.FolderName}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(staging);
            ExtractEntries(archive, staging);
            var extracted = Path.Combine(staging, Cifar10Format.FolderName);
            var missing = Directory.Exists(extracted) ? Cifar10Format.MissingBatches(extracted) : Cifar10Format.AllBatches;
            if (missing.Count > 0)
            {
                throw new InvalidDataException(
                    $"the archive '{archive}' lacks {Cifar10Format.FolderName}/{string.Join(".bin, ", missing)}.bin; it is not the CIFAR-10 binary archive");
            }

            if (!Directory.Exists(target))
            {
                Directory.Move(extracted, target); // atomic on one file system; a concurrent winner keeps its own copy
            }

            return target;
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException)
        {
            throw new InvalidDataException($"the archive '{archive}' could not be unpacked: {e.Message}", e);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    private static void ExtractEntries(string archive, string staging)
    {
        using var file = File.OpenRead(archive);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        var root = Path.GetFullPath(staging) + Path.DirectorySeparatorChar;
        while (tar.GetNextEntry() is { } entry)
        {
            var name = entry.Name.Replace('\\', '/').TrimStart('.', '/');
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)
                || !name.StartsWith(Cifar10Format.FolderName + "/", StringComparison.Ordinal))
            {
                continue;
            }

            var path = Path.GetFullPath(Path.Combine(staging, name));
            if (!path.StartsWith(root, StringComparison.Ordinal))
            {
                throw new InvalidDataException($"the entry '{entry.Name}' points outside the archive's folder");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            entry.ExtractToFile(path, overwrite: true);
        }
    }
}

using System.Text;

namespace DslNet.Data;

/// <summary>Finds a complete <c>cifar-10-batches-bin/</c> folder, downloading it into the cache when it is found nowhere.</summary>
internal static class Cifar10Locator
{
    /// <summary>
    /// The first place of <paramref name="folders"/> holding every batch; else the cache folder after downloading the archive
    /// into it. Throws one <see cref="DirectoryNotFoundException"/> that lists every place looked and how to provide the files.
    /// </summary>
    public static string Locate(DataFolders folders, Cifar10Download download)
    {
        var looked = new List<string>();
        foreach (var (description, root) in folders.Places())
        {
            if (root is null)
            {
                looked.Add($"{description}: not set");
                continue;
            }

            if (FindIn(root, description) is { } found)
            {
                return found;
            }

            looked.Add($"{description}: {Path.GetFullPath(Path.Combine(root, Cifar10Format.FolderName))} does not exist");
        }

        if (!download.Enabled)
        {
            throw NotFound(folders, download, looked, "downloading is disabled", inner: null);
        }

        try
        {
            return Download(folders.Cache, download);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or InvalidDataException or UnauthorizedAccessException or TaskCanceledException)
        {
            throw NotFound(folders, download, looked, $"downloading it failed: {e.Message}", e);
        }
    }

    /// <summary>
    /// The complete CIFAR-10 folder under <paramref name="root"/> (<c>root/cifar-10-batches-bin</c>, or <c>root</c> itself
    /// when it holds the batches), or null when there is none. A folder holding only some batches is an error, not a miss.
    /// </summary>
    private static string? FindIn(string root, string description)
    {
        var nested = Path.Combine(root, Cifar10Format.FolderName);
        var folder = Directory.Exists(nested) ? nested
            : Cifar10Format.FindBatchFile(root, Cifar10Format.TrainingBatches[0]) is not null ? root
            : null;
        if (folder is null)
        {
            return null;
        }

        var missing = Cifar10Format.MissingBatches(folder);
        if (missing.Count > 0)
        {
            throw new FileNotFoundException(
                $"The CIFAR-10 folder '{Path.GetFullPath(folder)}' (from {description}) is incomplete: it lacks " +
                $"{string.Join(", ", missing.Select(batch => batch + ".bin[.gz]"))}. It must hold {Cifar10Format.ExpectedFilesText}; " +
                $"copy the missing files there, or remove the folder to have DslNet look elsewhere.");
        }

        return Path.GetFullPath(folder);
    }

    private static string Download(string cache, Cifar10Download download)
    {
        var archive = Path.Combine(cache, Path.GetFileName(download.Url.LocalPath) is { Length: > 0 } name ? name : "cifar-10-binary.tar.gz");
        try
        {
            ArchiveDownloader.Download(download, archive);
            return ArchiveExtractor.Extract(archive, cache);
        }
        finally
        {
            if (File.Exists(archive))
            {
                File.Delete(archive); // the unpacked folder is what is kept; the archive would only double the disk use
            }
        }
    }

    private static DirectoryNotFoundException NotFound(DataFolders folders, Cifar10Download download, List<string> looked, string why, Exception? inner)
    {
        var text = new StringBuilder();
        text.AppendLine($"CIFAR-10 was not found, and {why}.");
        text.AppendLine($"Looked for a folder '{Cifar10Format.FolderName}' holding {Cifar10Format.ExpectedFilesText} in:");
        for (var i = 0; i < looked.Count; i++)
        {
            text.AppendLine($"  {i + 1}. {looked[i]}");
        }

        var cacheTarget = Path.Combine(Path.GetFullPath(folders.Cache), Cifar10Format.FolderName);
        text.AppendLine("Provide the files in one of these ways:");
        text.AppendLine($"  - pass --data DIR (Cifar10.Load(DIR)) where DIR/{Cifar10Format.FolderName} holds them;");
        text.AppendLine($"  - set {DataFolders.EnvironmentVariable}=DIR, likewise;");
        text.Append($"  - or download {download.Url} (MD5 {download.Md5}) and extract it so that the files are in {cacheTarget}.");
        return new DirectoryNotFoundException(text.ToString(), inner);
    }
}

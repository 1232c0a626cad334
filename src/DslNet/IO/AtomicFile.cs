namespace DslNet.IO;

/// <summary>
/// Writes files so that a reader never sees half of one: write beside the target, flush it to the disk, then rename over
/// it (and flush the folder, where the OS allows), so that even after a crash or a power cut the target holds either the
/// old content or the new one, never an empty or partial file.
/// </summary>
public static class AtomicFile
{
    /// <summary>
    /// Calls <paramref name="write"/> with a temporary path in the target's folder, then moves that file over
    /// <paramref name="path"/>. The temporary file is flushed to the disk (fsync) before the rename and the folder after it.
    /// If <paramref name="write"/> throws, the temporary file is deleted and the target is untouched.
    /// </summary>
    public static void Write(string path, Action<string> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            write(temporary);
            Durability.SyncFile(temporary);
            File.Move(temporary, full, overwrite: true);
            Durability.SyncFolder(folder);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> atomically (UTF-8, no BOM).</summary>
    public static void WriteAllText(string path, string text) => Write(path, temporary => File.WriteAllText(temporary, text));
}

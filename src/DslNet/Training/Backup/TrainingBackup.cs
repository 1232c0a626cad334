using System.Text.Json;
using DslNet.IO;
using DslNet.Training.State;

namespace DslNet.Training.Backup;

/// <summary>
/// The training backup file: everything a <c>Fit</c> needs to go on exactly where it was, as the run's
/// <see cref="TrainingState"/> captured it. It lives in one file, <see cref="FileName"/>, in the backup folder: a
/// <see cref="SealedFile"/> whose header is the <see cref="BackupManifest"/> and whose checksummed payload is the
/// <see cref="StateRecord"/>, so a backup is replaced atomically and a truncated or damaged one is detected before anything
/// is restored.
/// </summary>
internal static class TrainingBackup
{
    /// <summary>The backup's file name in the backup folder.</summary>
    public const string FileName = "training.dslnet-backup";

    private const string Magic = "DSLNETB1";
    private const string Kind = "DslNet training backup";
    private const int FormatVersion = 3;

    public static string PathIn(string folder) => Path.Combine(Path.GetFullPath(folder), FileName);

    /// <summary>
    /// Reads the backup in <paramref name="folder"/>, or returns null when there is none. Throws
    /// <see cref="InvalidDataException"/> (naming the file) when it is truncated, corrupt, of another format, or belongs to
    /// another model, settings or data than <paramref name="expected"/>; nothing is changed then.
    /// </summary>
    public static StateRecord? Read(string folder, BackupManifest expected)
    {
        var path = PathIn(folder);
        if (!File.Exists(path))
        {
            return null;
        }

        var (headerText, payload) = SealedFile.Read(path, Magic, Kind);
        Header? header;
        try
        {
            header = JsonSerializer.Deserialize<Header>(headerText);
        }
        catch (JsonException)
        {
            header = null;
        }

        if (header?.Manifest is not { } saved || header.Version != FormatVersion)
        {
            throw new InvalidDataException($"'{path}' is a {Kind} of another DslNet version (or its header is damaged); remove the folder to start over.");
        }

        var differences = expected.Differences(saved);
        if (differences.Count > 0)
        {
            throw new InvalidDataException(
                $"'{path}' is not a backup of this training run: {string.Join("; and ", differences)}. " +
                "Use another FitOptions.BackupDirectory for this run, or remove the folder to start over (nothing was changed).");
        }

        try
        {
            using var reader = new BinaryReader(new MemoryStream(payload, writable: false));
            return StateRecord.Read(reader);
        }
        catch (Exception error) when (error is EndOfStreamException or InvalidDataException or ArgumentException or IOException)
        {
            throw new InvalidDataException($"'{path}' is a damaged {Kind}: {error.Message}", error);
        }
    }

    /// <summary>Writes <paramref name="state"/> into <paramref name="folder"/> as the backup of <paramref name="manifest"/>'s run, atomically replacing the previous one.</summary>
    public static void Write(string folder, BackupManifest manifest, StateRecord state)
    {
        var header = JsonSerializer.Serialize(new Header(FormatVersion, manifest));
        SealedFile.Write(PathIn(folder), Magic, header, state.Write);
    }

    /// <summary>
    /// Removes the backup of a completed run, and the folder when nothing else is in it. Leftover temporary files of
    /// writes a kill interrupted are removed too.
    /// </summary>
    public static void Remove(string folder)
    {
        var full = Path.GetFullPath(folder);
        if (!Directory.Exists(full))
        {
            return;
        }

        RemoveLeftovers(full);
        File.Delete(PathIn(full));
        if (!Directory.EnumerateFileSystemEntries(full).Any())
        {
            Directory.Delete(full);
        }
    }

    /// <summary>Deletes temporary files that an interrupted backup write left behind (their names are this backup's own).</summary>
    public static void RemoveLeftovers(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return;
        }

        foreach (var leftover in Directory.EnumerateFiles(folder, $".{FileName}.*.tmp"))
        {
            File.Delete(leftover);
        }
    }

    private sealed record Header(int Version, BackupManifest? Manifest);
}

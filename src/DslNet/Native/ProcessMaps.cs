namespace DslNet.Native;

/// <summary>The files mapped into this process, from <c>/proc/self/maps</c> (Linux).</summary>
internal static class ProcessMaps
{
    /// <summary>The path of the first mapped file whose name starts with <paramref name="fileNamePrefix"/>, or null.</summary>
    public static string? FirstMapped(string fileNamePrefix)
    {
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps))
        {
            return null;
        }
        foreach (var line in File.ReadLines(maps))
        {
            var slash = line.IndexOf('/');
            if (slash >= 0 && !line.EndsWith(" (deleted)", StringComparison.Ordinal)
                && Path.GetFileName(line.AsSpan(slash)).StartsWith(fileNamePrefix, StringComparison.Ordinal))
            {
                return line[slash..];
            }
        }
        return null;
    }
}

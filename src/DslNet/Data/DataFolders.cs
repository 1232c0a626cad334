namespace DslNet.Data;

/// <summary>
/// The places searched for <c>cifar-10-batches-bin/</c>, in order: the explicit folder (<c>--data DIR</c>), then
/// <c>$DSLNET_DATA</c>, then the user's cache folder (where downloads go).
/// </summary>
/// <param name="Explicit">The folder the caller passed, or null.</param>
/// <param name="EnvironmentFolder">The value of <c>DSLNET_DATA</c>, or null when unset.</param>
/// <param name="Cache">The user's cache folder for DslNet.</param>
internal sealed record DataFolders(string? Explicit, string? EnvironmentFolder, string Cache)
{
    /// <summary>The environment variable that names a data folder.</summary>
    public const string EnvironmentVariable = "DSLNET_DATA";

    /// <summary>The search places for <paramref name="dataDir"/> and this process's environment.</summary>
    public static DataFolders FromEnvironment(string? dataDir) =>
        new(NullIfBlank(dataDir), NullIfBlank(Environment.GetEnvironmentVariable(EnvironmentVariable)), DefaultCache());

    /// <summary>
    /// DslNet's cache folder: <c>$XDG_CACHE_HOME/dslnet</c> when set; else <c>%LOCALAPPDATA%\dslnet</c> on Windows,
    /// <c>~/Library/Caches/dslnet</c> on macOS, <c>~/.cache/dslnet</c> elsewhere; the temporary folder if there is no home.
    /// </summary>
    public static string DefaultCache()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (!string.IsNullOrWhiteSpace(xdg) && Path.IsPathRooted(xdg))
        {
            return Path.Combine(xdg, "dslnet");
        }

        if (OperatingSystem.IsWindows())
        {
            var local = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
            if (local.Length > 0)
            {
                return Path.Combine(local, "dslnet");
            }
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (home.Length == 0)
        {
            return Path.Combine(Path.GetTempPath(), "dslnet");
        }

        return OperatingSystem.IsMacOS() ? Path.Combine(home, "Library", "Caches", "dslnet") : Path.Combine(home, ".cache", "dslnet");
    }

    /// <summary>Each place, described for a message, with the folder it names (null when the place is not set).</summary>
    public IEnumerable<(string Description, string? Folder)> Places()
    {
        yield return ("--data DIR (Cifar10.Load(dataDir))", Explicit);
        yield return ($"${EnvironmentVariable}", EnvironmentFolder);
        yield return ("the cache folder", Cache);
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}

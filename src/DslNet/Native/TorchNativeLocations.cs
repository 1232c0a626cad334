using System.Runtime.InteropServices;

namespace DslNet.Native;

/// <summary>
/// Where TorchSharp 0.107 looks for <c>libLibTorchSharp.so</c>, in its order: the runtime's native search folders
/// (<c>NATIVE_DLL_SEARCH_DIRECTORIES</c>, from the app's deps.json), TorchSharp.dll's folder and its
/// <c>runtimes/&lt;rid&gt;/native</c>, and the <c>cpu</c> folder TorchSharp consolidates native files into when that fails.
/// </summary>
internal static class TorchNativeLocations
{
    /// <summary>The native half of TorchSharp.</summary>
    public const string LibraryFileName = "libLibTorchSharp.so";

    /// <summary>The existing <c>libLibTorchSharp.so</c> files TorchSharp may load, first-probed first, without duplicates.</summary>
    public static IReadOnlyList<string> Candidates()
    {
        var folders = new List<string>();
        if (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") is string searched)
        {
            folders.AddRange(searched.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        }
        var torchFolder = Path.GetDirectoryName(typeof(TorchSharp.torch).Assembly.Location);
        var rid = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";
        foreach (var folder in new[] { torchFolder, AppContext.BaseDirectory })
        {
            if (!string.IsNullOrEmpty(folder))
            {
                folders.Add(folder);
                folders.Add(Path.Combine(folder, "runtimes", rid, "native"));
                folders.Add(Path.Combine(folder, "cpu"));
            }
        }
        return folders
            .Select(f => Path.GetFullPath(Path.Combine(f, LibraryFileName)))
            .Distinct(StringComparer.Ordinal)
            .Where(File.Exists)
            .ToList();
    }

    /// <summary>
    /// Whether <paramref name="path"/> lies in the NuGet global packages folder, whose files belong to NuGet and are
    /// never modified (a patched copy is used instead).
    /// </summary>
    public static bool IsInNuGetCache(string path)
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var roots = new[] { Environment.GetEnvironmentVariable("NUGET_PACKAGES"), string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".nuget", "packages") };
        return roots.Any(root => !string.IsNullOrEmpty(root)
            && Path.GetFullPath(path).StartsWith(Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)) + Path.DirectorySeparatorChar, StringComparison.Ordinal));
    }
}

using System.Runtime.InteropServices;

namespace DslNet.Native;

/// <summary>The C++ runtime (<c>libstdc++.so.6</c>) the dynamic loader gives this process, and the symbol versions it defines.</summary>
/// <param name="Path">Where it is.</param>
/// <param name="Versions">The versions it defines, e.g. <c>GLIBCXX_3.4.30</c>.</param>
internal sealed record HostLibStdCxx(string Path, IReadOnlySet<string> Versions)
{
    /// <summary>The file name libraries record in DT_NEEDED and in their version needs.</summary>
    public const string FileName = "libstdc++.so.6";

    /// <summary>Reads the versions defined by the libstdc++ at <paramref name="path"/>.</summary>
    public static HostLibStdCxx Read(string path) => new(path, ElfFile.Read(path).DefinedVersions.ToHashSet(StringComparer.Ordinal));

    /// <summary>Finds and reads the host libstdc++, or returns null when none is found (then nothing C++ can load anyway).</summary>
    public static HostLibStdCxx? Find()
    {
        var path = Locate();
        return path is null ? null : Read(path);
    }

    /// <summary>
    /// The libstdc++ the loader would use: the one already mapped into this process if any, else the first
    /// <c>libstdc++.so.6</c> in <c>LD_LIBRARY_PATH</c>, then in the standard library folders of this architecture.
    /// </summary>
    public static string? Locate() =>
        ProcessMaps.FirstMapped(FileName) ?? SearchFolders().Select(d => System.IO.Path.Combine(d, FileName)).FirstOrDefault(File.Exists);

    private static IEnumerable<string> SearchFolders()
    {
        var fromEnvironment = (Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var multiarch = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "aarch64-linux-gnu" : "x86_64-linux-gnu";
        return fromEnvironment.Concat(
        [
            $"/lib/{multiarch}", $"/usr/lib/{multiarch}", "/lib64", "/usr/lib64", "/usr/lib", "/lib",
        ]);
    }
}

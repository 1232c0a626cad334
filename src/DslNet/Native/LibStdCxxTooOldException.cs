namespace DslNet.Native;

/// <summary>
/// A native library really uses C++ runtime symbols that the host's <c>libstdc++.so.6</c> does not have,
/// so it cannot be made to load: the host needs a newer libstdc++.
/// </summary>
public sealed class LibStdCxxTooOldException : Exception
{
    /// <summary>Creates the error for <paramref name="library"/>, which needs <paramref name="version"/> through <paramref name="symbols"/>.</summary>
    public LibStdCxxTooOldException(string library, string version, string hostLibStdCxx, IEnumerable<string> symbols)
        : base($"'{library}' needs {version} of {HostLibStdCxx.FileName}, which the host's C++ runtime '{hostLibStdCxx}' does not define, "
            + $"and it really uses symbols of that version ({string.Join(", ", symbols)}), so it cannot load here. "
            + "Fix: install a newer libstdc++ (the GCC 13 or later runtime, e.g. a newer libstdc++6 package) "
            + "or put a folder holding one first in LD_LIBRARY_PATH.")
    {
        Library = library;
        Version = version;
        HostLibraryPath = hostLibStdCxx;
    }

    /// <summary>The native library that cannot load.</summary>
    public string Library { get; }

    /// <summary>The missing version, e.g. <c>GLIBCXX_3.4.32</c>.</summary>
    public string Version { get; }

    /// <summary>The host libstdc++ that lacks it.</summary>
    public string HostLibraryPath { get; }
}

namespace DslNet.Tests.Native;

/// <summary>
/// A private copy of TorchSharp 0.107's unpatched libLibTorchSharp.so, taken from the NuGet cache (never modified there;
/// the copy in the test's bin folder is patched by DslNet's module initializer), deleted on dispose.
/// </summary>
internal sealed class PristineTorchLibrary : IDisposable
{
    public const string TorchSharpVersion = "0.107.0";

    public PristineTorchLibrary()
    {
        Folder = Directory.CreateTempSubdirectory("dslnet-native-").FullName;
        Path = System.IO.Path.Combine(Folder, "libLibTorchSharp.so");
        File.Copy(NuGetCachePath(), Path);
    }

    public string Folder { get; }

    public string Path { get; }

    public byte[] Bytes() => File.ReadAllBytes(Path);

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    /// <summary>The unpatched library's bytes, from the NuGet cache.</summary>
    public static byte[] NuGetCacheBytes() => File.ReadAllBytes(NuGetCachePath());

    private static string NuGetCachePath()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return System.IO.Path.Combine(packages, "torchsharp", TorchSharpVersion, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
    }
}

using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using DslNet.Native;
using Xunit;

namespace DslNet.Tests.Native;

/// <summary>
/// The native loader's fallbacks: a library that must not be modified is patched into the cache, a cache that cannot be
/// written falls back to a private folder, a cached copy is trusted by content only, and in real processes the cached
/// copy is the one loaded (through the preload and the DllImport resolver), also when two processes start together, with
/// a broken copy elsewhere that must not matter, and libtorch's iostream logging still prints.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class NativeFallbackTests : IDisposable
{
    private const UnixFileMode ReadOnlyFile = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode ReadOnlyFolder = ReadOnlyFile | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
    private readonly string folder = Directory.CreateTempSubdirectory("dslnet-native-fallback-").FullName;

    public void Dispose()
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories).Prepend(folder))
        {
            if (Directory.Exists(entry) && new DirectoryInfo(entry).LinkTarget is null)
            {
                File.SetUnixFileMode(entry, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void A_library_in_a_read_only_folder_is_patched_into_the_cache_and_left_untouched()
    {
        using var library = new PristineTorchLibrary();
        var original = library.Bytes();
        var cache = Path.Combine(folder, "cache");
        File.SetUnixFileMode(library.Path, ReadOnlyFile);
        File.SetUnixFileMode(library.Folder, ReadOnlyFolder);
        try
        {
            var loadable = TorchNativeLibrary.MakeLoadable(library.Path, LibStdCxxVersionPatcherTests.HostUpTo30(), cache);

            Assert.StartsWith(cache + Path.DirectorySeparatorChar, loadable);
            Assert.Equal(Expected(original, library.Path), File.ReadAllBytes(loadable));
            Assert.Equal(original, library.Bytes());
            Assert.Equal(ReadOnlyFile, File.GetUnixFileMode(library.Path));
        }
        finally
        {
            File.SetUnixFileMode(library.Folder, ReadOnlyFolder | UnixFileMode.UserWrite);
        }
    }

    [Fact]
    public void A_writable_library_outside_the_NuGet_cache_is_patched_in_place()
    {
        using var library = new PristineTorchLibrary();
        var expected = Expected(library.Bytes(), library.Path);

        var loadable = TorchNativeLibrary.MakeLoadable(library.Path, LibStdCxxVersionPatcherTests.HostUpTo30(), Path.Combine(folder, "cache"));

        Assert.Equal(library.Path, loadable);
        Assert.Equal(expected, library.Bytes());
        Assert.False(Directory.Exists(Path.Combine(folder, "cache")));
    }

    [Theory]
    [InlineData("hard")]
    [InlineData("symbolic")]
    public void A_library_linked_to_the_NuGet_cache_is_patched_as_a_new_file_and_the_cache_keeps_its_bytes(string link)
    {
        // The repository's builds (and users who set CreateHardLinksForCopyLocalIfPossible or its symbolic twin) link bin's
        // libraries to the NuGet cache: patching in place must replace bin's entry, never write through the link.
        using var cache = new PristineTorchLibrary();
        var original = cache.Bytes();
        var inBin = Path.Combine(folder, "libLibTorchSharp.so");
        if (link == "hard")
        {
            Assert.Equal(0, HardLink(cache.Path, inBin));
        }
        else
        {
            File.CreateSymbolicLink(inBin, cache.Path);
        }

        var loadable = TorchNativeLibrary.MakeLoadable(inBin, LibStdCxxVersionPatcherTests.HostUpTo30(), Path.Combine(folder, "cache"));

        Assert.Equal(inBin, loadable);
        Assert.Null(new FileInfo(inBin).LinkTarget);
        Assert.Equal(Expected(original, cache.Path), File.ReadAllBytes(inBin));
        Assert.Equal(original, cache.Bytes());
        Assert.Equal(1, LinkCount(cache.Path));
    }

    [Fact]
    public void A_cache_root_that_cannot_be_written_falls_back_to_a_private_folder()
    {
        using var library = new PristineTorchLibrary();
        var original = library.Bytes();
        File.SetUnixFileMode(library.Path, ReadOnlyFile);
        var blocker = Path.Combine(folder, "not-a-folder");
        File.WriteAllText(blocker, "a file where the cache root's parent should be");
        var unwritable = Path.Combine(blocker, "cache"); // cannot be created, not even by root

        var loadable = TorchNativeLibrary.MakeLoadable(library.Path, LibStdCxxVersionPatcherTests.HostUpTo30(), unwritable);

        try
        {
            Assert.DoesNotContain(blocker, loadable);
            Assert.StartsWith(Path.GetTempPath(), loadable);
            Assert.Equal(Expected(original, library.Path), File.ReadAllBytes(loadable));
            Assert.Equal(original, library.Bytes());
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(Path.GetDirectoryName(loadable)!)!, recursive: true);
        }
    }

    [Fact]
    public void A_cached_copy_of_the_right_length_but_other_content_is_replaced()
    {
        using var library = new PristineTorchLibrary();
        var original = library.Bytes();
        var patched = Expected(original, library.Path);
        var cache = Path.Combine(folder, "cache");
        var copy = PatchedLibraryCache.Place(library.Path, original, patched, cache);
        var tampered = (byte[])patched.Clone();
        tampered[tampered.Length / 2] ^= 0xFF;
        File.WriteAllBytes(copy, tampered);

        var again = PatchedLibraryCache.Place(library.Path, original, patched, cache);

        Assert.Equal(copy, again);
        Assert.Equal(patched, File.ReadAllBytes(again));
    }

    [Fact]
    public void Two_processes_starting_together_load_the_cached_copy_of_a_read_only_library_through_the_resolver()
    {
        var app = ChildAppWithReadOnlyPristineLibrary();
        var cacheHome = Path.Combine(folder, "xdg-cache");
        var library = Path.Combine(app, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        var original = File.ReadAllBytes(library);

        var first = StartNativeCheck(app, cacheHome);
        var second = StartNativeCheck(app, cacheHome);
        var outputs = new[] { Finish(first), Finish(second) };

        var cacheRoot = Path.Combine(cacheHome, "dslnet", "native") + Path.DirectorySeparatorChar;
        foreach (var (stdout, stderr) in outputs)
        {
            Assert.Contains("sum 12", stdout);
            Assert.Contains("problem none", stdout);
            var mapped = stdout.Split('\n').Single(l => l.StartsWith("mapped ", StringComparison.Ordinal))["mapped ".Length..].Trim();
            Assert.StartsWith(cacheRoot, mapped); // the preloaded copy, which the DllImport resolver hands to TorchSharp
            Assert.Equal(Expected(original, library), File.ReadAllBytes(mapped));

            // libtorch's C++ warning, written through std::cerr: iostreams work after the GLIBCXX_3.4.32 need was weakened.
            Assert.Contains("indexing with dtype torch.uint8 is now deprecated", stderr);
        }

        Assert.Equal(original, File.ReadAllBytes(library));
        Assert.Equal(PristineTorchLibrary.NuGetCacheBytes(), original);
        Assert.Equal("not a shared library", File.ReadAllText(Path.Combine(app, "cpu", "libLibTorchSharp.so")));
    }

    private static byte[] Expected(byte[] original, string path) =>
        LibStdCxxVersionPatcher.Patch(original, path, HostLibStdCxx.Find()!) ?? LibStdCxxVersionPatcher.Patch(original, path, LibStdCxxVersionPatcherTests.HostUpTo30())!;

    /// <summary>
    /// A copy of the resume child app (tests/DslNet.Tests.ResumeChild) whose native folder is read-only and holds an
    /// unpatched libLibTorchSharp.so (the other native files are links to the test's own), with a second, broken
    /// libLibTorchSharp.so in a folder TorchSharp would only try later: preparing must neither read nor mind it.
    /// </summary>
    private string ChildAppWithReadOnlyPristineLibrary()
    {
        var source = AppContext.BaseDirectory;
        var app = Path.Combine(folder, "app");
        Directory.CreateDirectory(app);
        foreach (var file in Directory.EnumerateFiles(source).Where(f => f.EndsWith(".dll", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal)))
        {
            File.Copy(file, Path.Combine(app, Path.GetFileName(file)));
        }

        var native = Path.Combine(app, "runtimes", "linux-x64", "native");
        Directory.CreateDirectory(native);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(source, "runtimes", "linux-x64", "native")))
        {
            if (Path.GetFileName(file) != "libLibTorchSharp.so")
            {
                File.CreateSymbolicLink(Path.Combine(native, Path.GetFileName(file)), file);
            }
        }

        var library = Path.Combine(native, "libLibTorchSharp.so");
        File.WriteAllBytes(library, PristineTorchLibrary.NuGetCacheBytes());
        File.SetUnixFileMode(library, ReadOnlyFile);
        File.SetUnixFileMode(native, ReadOnlyFolder);

        var broken = Path.Combine(app, "cpu");
        Directory.CreateDirectory(broken);
        File.WriteAllText(Path.Combine(broken, "libLibTorchSharp.so"), "not a shared library");
        File.SetUnixFileMode(Path.Combine(broken, "libLibTorchSharp.so"), ReadOnlyFile);
        File.SetUnixFileMode(broken, ReadOnlyFolder);
        return app;
    }

    private static Process StartNativeCheck(string app, string cacheHome)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(app, "DslNet.Tests.ResumeChild.dll"));
        start.ArgumentList.Add("native");
        start.Environment["XDG_CACHE_HOME"] = cacheHome;
        return Process.Start(start)!;
    }

    private static (string Stdout, string Stderr) Finish(Process process)
    {
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "the child did not finish");
            Assert.True(process.ExitCode == 0, $"the child failed ({process.ExitCode}): {stdout.Result}\n{stderr.Result}");
            return (stdout.Result, stderr.Result);
        }
    }

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int HardLink(string existing, string created);

    private static int LinkCount(string path)
    {
        using var stat = Process.Start(new ProcessStartInfo("stat", ["-c", "%h", path]) { RedirectStandardOutput = true })!;
        var output = stat.StandardOutput.ReadToEnd();
        stat.WaitForExit();
        return int.Parse(output.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace DslNet.Native;

/// <summary>
/// Makes TorchSharp's native library load on Linux hosts whose C++ runtime is older than the one it was built against.
/// </summary>
/// <remarks>
/// <para>
/// TorchSharp-cpu 0.107's <c>libLibTorchSharp.so</c> asks for <c>GLIBCXX_3.4.32</c> (GCC 13's libstdc++), which Debian 12
/// and Ubuntu 22.04 lack. <see cref="EnsureLoadable"/> finds the <c>libLibTorchSharp.so</c> TorchSharp will load (the first
/// one it probes) and, only when the host's libstdc++ lacks a version it needs and nothing binds a symbol of that version,
/// marks that version need weak so the loader accepts the host's runtime. A file that is not writable (permissions, a
/// read-only mount) or that lies in the NuGet cache is never modified: a patched copy goes to a per-user cache folder,
/// and TorchSharp is made to load that copy (preloaded, and answered by a <c>DllImport</c> resolver). Other copies of the
/// library are left alone. DslNet.dll and every assembly with a DslNet model call this automatically when they load.
/// </para>
/// <para>
/// Why weakening <c>GLIBCXX_3.4.32</c> is safe: the only symbol of that version the library names is
/// <c>_ZSt21ios_base_library_initv</c> (<c>std::ios_base_library_init()</c>), and no relocation uses it. GCC 13 moved the
/// initialization of <c>std::cout</c>, <c>std::cerr</c> and the other standard streams into libstdc++ itself; instead of
/// the static <c>std::ios_base::Init</c> object that <c>&lt;iostream&gt;</c> used to put into every translation unit, it
/// now emits a bare reference to that symbol, whose only job is to make the program require a libstdc++ (3.4.32 or later)
/// that does this initialization. Nothing calls it. On a GCC 12 host the streams are initialized the older way, by
/// <c>std::ios_base::Init</c> objects built into the code compiled with older compilers that is loaded before
/// <c>libLibTorchSharp.so</c>: its dependency <c>libtorch_cpu.so</c> constructs them (it imports
/// <c>std::ios_base::Init::Init()</c>), and the loader runs a dependency's initializers first. So the streams are ready
/// before any of TorchSharp's code runs, which is all the reference promised (a test checks that libtorch's iostream
/// logging still prints after the patch). <see cref="LibStdCxxVersionPatcher"/> checks that no relocation uses a symbol of
/// a version it weakens, and refuses (<see cref="LibStdCxxTooOldException"/>) when one does.
/// </para>
/// <para>
/// Preparing never throws, so it cannot stop an application from starting: if the library that will be loaded cannot be
/// made loadable, the reason is written once to the standard error and kept in <see cref="Problem"/>, and TorchSharp
/// reports its own loading error when it is first used.
/// </para>
/// </remarks>
public static class TorchNativeLibrary
{
    private static readonly object Gate = new();
    private static volatile bool prepared;
    private static IntPtr preloaded;

    /// <summary>
    /// Why the native library could not be made loadable on this host (e.g. <see cref="LibStdCxxTooOldException"/>), or
    /// null when it was, or nothing needed doing.
    /// </summary>
    public static Exception? Problem { get; private set; }

    /// <summary>
    /// Prepares TorchSharp's native library so that it loads on this host. Idempotent, thread-safe and cheap after the
    /// first call; does nothing outside Linux or when the host's libstdc++ is new enough. Never throws: a failure is kept
    /// in <see cref="Problem"/> and written to the standard error once.
    /// </summary>
    public static void EnsureLoadable()
    {
        if (prepared)
        {
            return;
        }

        lock (Gate)
        {
            if (prepared)
            {
                return;
            }

            try
            {
                if (OperatingSystem.IsLinux())
                {
                    Prepare();
                }
            }
            catch (Exception error)
            {
                Problem = error;
                Report(error);
            }

            prepared = true;
        }
    }

    /// <summary>Runs <see cref="EnsureLoadable"/> when DslNet.dll loads.</summary>
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries",
        Justification = "TorchSharp's native library must be patched before TorchSharp first loads it, whichever DslNet type is used first.")]
    internal static void InitializeModule() => EnsureLoadable();

    [SupportedOSPlatform("linux")]
    private static void Prepare()
    {
        if (ProcessMaps.FirstMapped(TorchNativeLocations.LibraryFileName) is not null)
        {
            return; // Already loaded: too late and no longer needed.
        }

        var host = HostLibStdCxx.Find();
        var candidates = TorchNativeLocations.Candidates();
        if (host is null || candidates.Count == 0)
        {
            return;
        }

        // Only the copy TorchSharp probes first (the one it will load) is made loadable; the others are never read.
        var library = candidates[0];
        var loadable = MakeLoadable(library, host);
        if (loadable != library)
        {
            Preload(loadable);
        }
    }

    /// <summary>
    /// Patches <paramref name="library"/> if needed and returns the path that loads: the library itself (patched in place
    /// when it is writable and not in the NuGet cache) or a patched copy in the cache (<paramref name="cacheRoot"/>, else the
    /// per-user default; a fresh private temporary folder when that cannot be written).
    /// </summary>
    [SupportedOSPlatform("linux")]
    internal static string MakeLoadable(string library, HostLibStdCxx host, string? cacheRoot = null)
    {
        var content = File.ReadAllBytes(library);
        var patched = LibStdCxxVersionPatcher.Patch(content, library, host);
        if (patched is null)
        {
            return library;
        }

        if (!TorchNativeLocations.IsInNuGetCache(library) && Writability.CanReplace(library))
        {
            try
            {
                LibStdCxxVersionPatcher.Write(patched, library, File.GetUnixFileMode(library));
                return library;
            }
            catch (Exception error) when (error is UnauthorizedAccessException or IOException)
            {
                // Not writable after all: fall back to a patched copy in the cache.
            }
        }

        var root = cacheRoot ?? PatchedLibraryCache.DefaultRoot();
        try
        {
            return PatchedLibraryCache.Place(library, content, patched, root);
        }
        catch (Exception error) when (error is UnauthorizedAccessException or IOException)
        {
            // The cache cannot be written (a read-only home, a full disk): a private folder of this process's own.
            var fallback = Directory.CreateTempSubdirectory("dslnet-native-").FullName;
            Trace.WriteLine($"DslNet: cannot write the native library cache '{root}' ({error.Message}); using '{fallback}'.");
            return PatchedLibraryCache.Place(library, content, patched, fallback);
        }
    }

    private static void Report(Exception error)
    {
        try
        {
            Console.Error.WriteLine($"DslNet: TorchSharp's native library could not be prepared for this host, so TorchSharp may fail to load: {error.Message}");
        }
        catch (IOException)
        {
            // No standard error to write to: Problem still says it.
        }
    }

    private static void Preload(string library)
    {
        var torchSharp = typeof(TorchSharp.torch).Assembly;
        // Load libtorch first the way TorchSharp would, so the copy's dependencies resolve wherever they live.
        NativeLibrary.TryLoad("torch_cpu", torchSharp, null, out _);
        NativeLibrary.TryLoad("torch", torchSharp, null, out _);
        preloaded = NativeLibrary.Load(library);
        try
        {
            NativeLibrary.SetDllImportResolver(torchSharp, Resolve);
        }
        catch (InvalidOperationException)
        {
            // The application set its own resolver; the loaded copy still answers to its soname, libLibTorchSharp.so.
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name is "LibTorchSharp" or TorchNativeLocations.LibraryFileName ? preloaded : IntPtr.Zero;
}

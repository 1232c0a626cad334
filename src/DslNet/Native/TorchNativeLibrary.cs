using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace DslNet.Native;

/// <summary>
/// Makes TorchSharp's native library load on Linux hosts whose C++ runtime is older than the one it was built against.
/// </summary>
/// <remarks>
/// TorchSharp-cpu 0.107's <c>libLibTorchSharp.so</c> asks for <c>GLIBCXX_3.4.32</c> (GCC 13's libstdc++), which Debian 12
/// and Ubuntu 22.04 lack, although no symbol of that version is ever bound. <see cref="EnsureLoadable"/> finds every
/// <c>libLibTorchSharp.so</c> TorchSharp may load and, only when the host's libstdc++ lacks a version it needs and nothing
/// binds a symbol of that version, marks that version need weak so the loader accepts the host's runtime. Files that cannot
/// be changed (read-only, or in the NuGet cache) are patched into a per-user cache folder instead, and TorchSharp is made to
/// load that copy. DslNet.dll and every assembly with a DslNet model call this automatically when they load.
/// </remarks>
public static class TorchNativeLibrary
{
    private static readonly object Gate = new();
    private static volatile bool prepared;
    private static ExceptionDispatchInfo? failure;
    private static IntPtr preloaded;

    /// <summary>
    /// Prepares TorchSharp's native library so that it loads on this host. Idempotent, thread-safe and cheap after the
    /// first call; does nothing outside Linux or when the host's libstdc++ is new enough.
    /// </summary>
    /// <exception cref="LibStdCxxTooOldException">The library really uses C++ runtime symbols the host lacks.</exception>
    public static void EnsureLoadable()
    {
        if (!prepared)
        {
            lock (Gate)
            {
                if (!prepared)
                {
                    try
                    {
                        if (OperatingSystem.IsLinux())
                        {
                            Prepare();
                        }
                    }
                    catch (Exception error)
                    {
                        failure = ExceptionDispatchInfo.Capture(error);
                    }
                    prepared = true;
                }
            }
        }
        failure?.Throw();
    }

    /// <summary>Runs <see cref="EnsureLoadable"/> when DslNet.dll loads; a failure is kept for the next explicit call.</summary>
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries",
        Justification = "TorchSharp's native library must be patched before TorchSharp first loads it, whichever DslNet type is used first.")]
    internal static void InitializeModule()
    {
        try
        {
            EnsureLoadable();
        }
        catch (Exception)
        {
            // Kept in 'failure': EnsureLoadable rethrows it, as does the initializer of every assembly with a model.
        }
    }

    [SupportedOSPlatform("linux")]
    private static void Prepare()
    {
        if (ProcessMaps.FirstMapped(TorchNativeLocations.LibraryFileName) is not null)
        {
            return; // Already loaded: too late and no longer needed.
        }
        var host = HostLibStdCxx.Find();
        if (host is null)
        {
            return;
        }
        string? toPreload = null;
        var candidates = TorchNativeLocations.Candidates();
        for (var i = 0; i < candidates.Count; i++)
        {
            var loadable = MakeLoadable(candidates[i], host);
            if (i == 0 && loadable != candidates[i])
            {
                toPreload = loadable; // TorchSharp would load the unpatchable original first.
            }
        }
        if (toPreload is not null)
        {
            Preload(toPreload);
        }
    }

    /// <summary>Patches <paramref name="library"/> if needed and returns the path that loads: the library itself or a cached patched copy.</summary>
    [SupportedOSPlatform("linux")]
    internal static string MakeLoadable(string library, HostLibStdCxx host, string? cacheRoot = null)
    {
        var content = File.ReadAllBytes(library);
        var patched = LibStdCxxVersionPatcher.Patch(content, library, host);
        if (patched is null)
        {
            return library;
        }
        if (!TorchNativeLocations.IsInNuGetCache(library))
        {
            try
            {
                LibStdCxxVersionPatcher.Write(patched, library, File.GetUnixFileMode(library));
                return library;
            }
            catch (Exception error) when (error is UnauthorizedAccessException or IOException)
            {
                // Not writable here: fall back to a patched copy in the per-user cache.
            }
        }
        return PatchedLibraryCache.Place(library, content, patched, cacheRoot);
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

using System.Runtime.InteropServices;
using DslNet.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace DslNet.Training;

/// <summary>
/// Flush-to-zero and denormals-are-zero (the x86 MXCSR bits FTZ and DAZ) while DslNet trains, evaluates and predicts, as
/// TensorFlow, and so the book's Keras runs, does on CPUs: subnormal floats (below 1.2e-38) become zero instead of taking
/// a slow microcode path in every operation that meets them. The bits belong to each thread, so they are set on the
/// calling thread and on every thread of libtorch's OpenMP pool for that thread (by running libtorch's own
/// <c>at::Context::setFlushDenormal</c> once on each thread of a parallel region the size of torch's thread count), and a
/// replica thread sets them for itself and its own pool. On leaving, the caller's previous mode is put back, on the same
/// threads. Where the CPU or the library does not allow it (not x86-64 Linux, or no libgomp beside libtorch), the calling
/// thread alone is set through libtorch, or nothing is, and <see cref="Problem"/> says why.
/// </summary>
internal static class SubnormalFlush
{
    private static readonly Lazy<Native?> Functions = new(Load);

    [ThreadStatic]
    private static bool onHere;

    /// <summary>Why the pool's threads cannot be set (null when they can).</summary>
    public static string? Problem { get; private set; }

    /// <summary>Whether a <see cref="Use"/> scope of this thread has flushing on (so work it hands to other threads flushes too).</summary>
    public static bool OnThisThread => onHere;

    /// <summary>Whether subnormal results are flushed to zero on the calling thread now (measured: a product of two tiny floats).</summary>
    public static bool IsOn()
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var tiny = torch.tensor(1e-20f);
        return tiny.mul(tiny).item<float>() == 0;
    }

    /// <summary>
    /// Turns flushing on (<paramref name="on"/>) or leaves the mode alone (false), on the caller and its thread pool of
    /// <paramref name="threads"/> threads, until the returned scope is disposed, which puts back the caller's previous mode.
    /// </summary>
    public static Scope Use(bool on, int threads)
    {
        if (!on)
        {
            return default;
        }

        var before = IsOn();
        if (before)
        {
            return default; // already on (e.g. a Fit inside a callback's Predict): nothing to put back
        }

        Set(true, threads);
        onHere = true;
        return new Scope(threads);
    }

    /// <summary>
    /// Sets the calling thread alone (a .NET thread-pool thread doing part of the optimizer's fused update for a thread that
    /// flushes) until the returned scope is disposed, which turns it off again: pool threads are shared with other code.
    /// </summary>
    public static ThreadScope OnPoolThread(bool on)
    {
        if (!on || Functions.Value is not { } native || onHere)
        {
            return default;
        }

        SetThisThread(native, true);
        return new ThreadScope(native);
    }

    /// <summary>Sets the calling thread and its team for the life of the thread (a replica's own thread, when its run flushes).</summary>
    public static void OnDedicatedThread(bool on, int threads)
    {
        if (on)
        {
            Set(true, threads);
            onHere = true;
        }
    }

    /// <summary>Sets the mode on the calling thread and on the <paramref name="threads"/> threads of its OpenMP team.</summary>
    internal static void Set(bool on, int threads)
    {
        if (Functions.Value is not { } native)
        {
            return;
        }

        if (native.Parallel is { } parallel)
        {
            // GOMP_parallel(fn, data, threads, flags) runs fn(data) on every thread of the team, the caller included.
            // libtorch's setFlushDenormal(bool) reads its argument from the first argument register, where fn's data goes.
            unsafe
            {
                ((delegate* unmanaged<IntPtr, IntPtr, uint, uint, void>)parallel)(native.SetFlushDenormal, on ? 1 : 0, (uint)Math.Max(1, threads), 0);
            }
        }
        else
        {
            SetThisThread(native, on);
        }
    }

    private static void SetThisThread(Native native, bool on)
    {
        unsafe
        {
            _ = ((delegate* unmanaged<byte, byte>)native.SetFlushDenormal)(on ? (byte)1 : (byte)0);
        }
    }

    private static Native? Load()
    {
        try
        {
            _ = torch.get_num_threads(); // TorchSharp, and with it libtorch, are loaded
            if (ProcessMaps.FirstMapped("libtorch_cpu.so") is not { } torchCpu
                || !NativeLibrary.TryLoad(torchCpu, out var library)
                || !NativeLibrary.TryGetExport(library, "_ZN2at7Context16setFlushDenormalEb", out var setFlushDenormal))
            {
                Problem = "libtorch's setFlushDenormal was not found; subnormal floats are not flushed.";
                return null;
            }

            if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
            {
                Problem = "only the calling thread flushes subnormal floats here (the thread pool is set on x86-64 Linux only).";
                return new Native(setFlushDenormal, null);
            }

            // libtorch's OpenMP runtime, the libgomp that lies beside it (its name carries a hash).
            var gomp = Directory.EnumerateFiles(Path.GetDirectoryName(torchCpu)!, "libgomp*.so*").FirstOrDefault();
            if (gomp is null || !NativeLibrary.TryLoad(gomp, out var openMp) || !NativeLibrary.TryGetExport(openMp, "GOMP_parallel", out var parallel))
            {
                Problem = "libtorch's OpenMP runtime (libgomp) was not found beside it: only the calling thread flushes subnormal floats.";
                return new Native(setFlushDenormal, null);
            }

            return new Native(setFlushDenormal, parallel);
        }
        catch (Exception error) when (error is DllNotFoundException or EntryPointNotFoundException or IOException or UnauthorizedAccessException)
        {
            Problem = $"subnormal floats are not flushed: {error.Message}";
            return null;
        }
    }

    /// <summary>Puts back the caller's mode (off) on the threads that <see cref="Use"/> set.</summary>
    public readonly struct Scope(int threads) : IDisposable
    {
        public void Dispose()
        {
            if (threads > 0)
            {
                Set(false, threads);
                onHere = false;
            }
        }
    }

    /// <summary>Turns a pool thread's flushing off again.</summary>
    public readonly struct ThreadScope(Native? native) : IDisposable
    {
        public void Dispose()
        {
            if (native is not null)
            {
                SetThisThread(native, false);
            }
        }
    }

    internal sealed record Native(IntPtr SetFlushDenormal, IntPtr? Parallel);
}

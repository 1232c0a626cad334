using System.Runtime.InteropServices;

namespace DslNet.Training;

/// <summary>Sets glibc's malloc, once per process, to serve and keep large blocks in its heap (see <see cref="NativeHeap"/>).</summary>
internal static partial class HeapReuse
{
    // glibc's malloc.h: the parameters of mallopt.
    private const int TrimThreshold = -1; // M_TRIM_THRESHOLD
    private const int MmapMax = -4; // M_MMAP_MAX
    private static readonly object Gate = new();
    private static bool applied;

    /// <summary>Whether the allocator was set.</summary>
    public static bool Applied => Volatile.Read(ref applied);

    /// <summary>Sets the allocator when <see cref="NativeHeap.ReuseLargeBlocks"/> allows and it was not set yet; never throws.</summary>
    public static void Ensure()
    {
        if (Applied || !NativeHeap.ReuseLargeBlocks || !OperatingSystem.IsLinux())
        {
            return;
        }

        lock (Gate)
        {
            if (applied)
            {
                return;
            }

            try
            {
                // Freed memory stays in the heap up to 1 GB above its top (then glibc trims, as it would anyway), and no
                // block is mapped on its own: the next step's tensors reuse the last step's pages.
                applied = mallopt(MmapMax, 0) == 1 && mallopt(TrimThreshold, 1 << 30) == 1;
            }
            catch (Exception error) when (error is DllNotFoundException or EntryPointNotFoundException)
            {
                // Not glibc (e.g. musl): its allocator has its own rules; nothing to set.
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int mallopt(int parameter, int value);
}

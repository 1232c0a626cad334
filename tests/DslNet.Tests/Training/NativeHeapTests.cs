using System.Runtime.InteropServices;
using DslNet.Tests.Validation;
using Xunit;

namespace DslNet.Tests.Training;

/// <summary>
/// After DslNet's first call that computes, glibc serves large tensors from its heap instead of mapping each one on its
/// own (and unmapping it when freed): what kept a third of a convolutional run's CPU time in the kernel.
/// </summary>
[Collection(TorchRandomCollection.Name)]
public sealed class NativeHeapTests
{
    [Fact]
    public void After_a_Predict_a_large_tensor_is_not_mapped_on_its_own()
    {
        var (train, _) = SyntheticData.Blobs(classes: 3, features: 4, perClassTrain: 4, perClassValidation: 1);
        using var model = new ThreeClassNet();
        using (TorchSharp.torch.NewDisposeScope())
        {
            model.Predict(train.Features);
        }

        Assert.True(NativeHeap.IsReusing);
        var mappedBefore = mallinfo2().MappedBytes;
        // 48 MB: above glibc's largest mmap threshold (32 MB), below the 64 MB heaps of the arenas of threads other than
        // the main one (which map larger blocks whatever the setting; a test runs on such a thread).
        using var large = TorchSharp.torch.ones(12L << 20);
        var mappedAfter = mallinfo2().MappedBytes;

        // Other threads can only free mapped blocks meanwhile (none is mapped any more), never add one.
        Assert.True(mappedAfter < mappedBefore + (48L << 20),
            $"the 48 MB tensor was mapped on its own: {mappedBefore:N0} → {mappedAfter:N0} bytes in mapped blocks");
    }

    /// <summary>glibc's <c>struct mallinfo2</c> (10 <c>size_t</c> fields); <c>hblkhd</c> is the bytes in blocks mapped on their own.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct MallInfo2
    {
#pragma warning disable CS0649 // assigned by the native call
        public nuint Arena, Ordblks, Smblks, Hblks, Hblkhd, Usmblks, Fsmblks, Uordblks, Fordblks, Keepcost;
#pragma warning restore CS0649

        public readonly long MappedBytes => (long)Hblkhd;
    }

    [DllImport("libc", EntryPoint = "mallinfo2")]
    private static extern MallInfo2 mallinfo2();
}

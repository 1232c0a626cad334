namespace DslNet;

/// <summary>
/// How the C allocator serves libtorch's large tensors during DslNet's training, evaluation and prediction. glibc's malloc
/// hands every block above its mmap threshold (at most 32 MB) straight to the kernel and returns it on free, so a
/// convolutional network's activations (a 512-image batch of 32 × 31 × 31 floats is 63 MB) are mapped, zero-filled page
/// by page and unmapped again on every step: on a 2-core machine a third of the run's CPU time was the kernel's. With
/// <see cref="ReuseLargeBlocks"/> (the default), the first <c>Fit</c>, <c>Evaluate</c>, <c>Predict</c> or
/// <c>FindLearningRate</c> of the process tells glibc to serve large blocks from its heap and to keep freed memory for the
/// next step (<c>mallopt(M_MMAP_MAX, 0)</c>, <c>mallopt(M_TRIM_THRESHOLD, …)</c>), what PyTorch users get from
/// jemalloc or tcmalloc. The process then keeps its peak native memory until it exits. The setting is process-wide and is
/// made once; it does nothing outside Linux with glibc.
/// </summary>
public static class NativeHeap
{
    /// <summary>Whether DslNet's first training, evaluation or prediction call sets glibc to reuse large blocks (default true); set false before that call to keep glibc's defaults.</summary>
    public static bool ReuseLargeBlocks { get; set; } = true;

    /// <summary>Whether this process's allocator was set to reuse large blocks.</summary>
    public static bool IsReusing => Training.HeapReuse.Applied;
}

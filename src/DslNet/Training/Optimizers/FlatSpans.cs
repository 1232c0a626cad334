using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace DslNet.Training;

/// <summary>
/// Direct access to the optimizer's flat float32 CPU buffers, so an update can be one fused pass over memory instead of a
/// chain of whole-buffer torch operations (each of which reads and writes every element again). The buffers are contiguous
/// by construction (<see cref="FlatParameters"/>, <see cref="Optimizer"/>'s slots).
/// </summary>
internal static class FlatSpans
{
    /// <summary>Whether <paramref name="buffer"/> can be updated through a span: float32, on the CPU, under 2 GB (a span's limit).</summary>
    public static bool Fusable(Tensor buffer) =>
        buffer.dtype == ScalarType.Float32 && buffer.device_type == DeviceType.CPU && buffer.numel() <= int.MaxValue / sizeof(float);

    /// <summary>The elements of a contiguous float32 CPU tensor, in place (writes go to the tensor).</summary>
    public static Span<float> Floats(Tensor buffer) => MemoryMarshal.Cast<byte, float>(buffer.bytes);
}

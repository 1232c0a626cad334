using System.Numerics;
using static TorchSharp.torch;

namespace DslNet.Training;

/// <summary>
/// The update of <see cref="Adam"/>, <see cref="AdamW"/> and <see cref="Nadam"/> as one fused, vectorized pass over float32
/// buffers, element by element the same float arithmetic as their torch formulation:
/// m += (1−β1)·(g − m); v = β2·v + (1−β2)·g²; d = √v + ε′; w += a·(g / d) (Nadam only; a = 0 skips it); w += b·(m / d).
/// The optimizers fold bias corrections and the learning rate into ε′, a and b.
/// </summary>
internal static class MomentKernel
{
    /// <summary>A part of a split update has at least this many elements (below it, waking a thread costs more than the part).</summary>
    internal const int MinimumPerPart = 32_768;

    /// <summary>
    /// <see cref="Apply(Span{float}, ReadOnlySpan{float}, Span{float}, Span{float}, float, float, float, float, float, float)"/>
    /// over whole float32 CPU buffers, split into up to <paramref name="parts"/> contiguous parts on the thread pool (each
    /// element's arithmetic is the same whichever part it is in, so the result is identical to one pass).
    /// </summary>
    public static void Apply(Tensor values, Tensor gradients, Tensor first, Tensor second, int parts,
        float beta1Complement, float beta2, float beta2Complement, float epsilon, float gradientCoefficient, float momentCoefficient)
    {
        var length = (int)values.numel();
        parts = Math.Min(parts, length / MinimumPerPart);
        if (parts <= 1)
        {
            Apply(FlatSpans.Floats(values), FlatSpans.Floats(gradients), FlatSpans.Floats(first), FlatSpans.Floats(second),
                beta1Complement, beta2, beta2Complement, epsilon, gradientCoefficient, momentCoefficient);
            return;
        }

        var width = Vector<float>.Count;
        var chunk = (length / parts + width - 1) / width * width;
        // Every part flushes subnormals as the calling thread does, whichever thread runs it, so the result is one pass's.
        var flush = SubnormalFlush.OnThisThread;
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part =>
        {
            using var mode = SubnormalFlush.OnPoolThread(flush);
            var start = part * chunk;
            var count = Math.Min(chunk, length - start);
            if (count > 0)
            {
                Apply(FlatSpans.Floats(values).Slice(start, count), FlatSpans.Floats(gradients).Slice(start, count),
                    FlatSpans.Floats(first).Slice(start, count), FlatSpans.Floats(second).Slice(start, count),
                    beta1Complement, beta2, beta2Complement, epsilon, gradientCoefficient, momentCoefficient);
            }
        });
    }

    public static void Apply(Span<float> values, ReadOnlySpan<float> gradients, Span<float> first, Span<float> second,
        float beta1Complement, float beta2, float beta2Complement, float epsilon, float gradientCoefficient, float momentCoefficient)
    {
        var length = values.Length;
        if (gradients.Length != length || first.Length != length || second.Length != length)
        {
            throw new ArgumentException("The optimizer's buffers must all have the parameters' length.", nameof(gradients));
        }

        var withGradientTerm = gradientCoefficient != 0;
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var width = Vector<float>.Count;
            var b1c = new Vector<float>(beta1Complement);
            var b2 = new Vector<float>(beta2);
            var b2c = new Vector<float>(beta2Complement);
            var eps = new Vector<float>(epsilon);
            var a = new Vector<float>(gradientCoefficient);
            var b = new Vector<float>(momentCoefficient);
            for (; i <= length - width; i += width)
            {
                var g = new Vector<float>(gradients[i..]);
                var m = new Vector<float>(first[i..]);
                var v = new Vector<float>(second[i..]);
                var w = new Vector<float>(values[i..]);
                m += b1c * (g - m);
                v = b2 * v + b2c * (g * g);
                var d = Vector.SquareRoot(v) + eps;
                if (withGradientTerm)
                {
                    w += a * (g / d);
                }

                w += b * (m / d);
                m.CopyTo(first[i..]);
                v.CopyTo(second[i..]);
                w.CopyTo(values[i..]);
            }
        }

        for (; i < length; i++)
        {
            var g = gradients[i];
            var m = first[i] + beta1Complement * (g - first[i]);
            var v = beta2 * second[i] + beta2Complement * (g * g);
            var d = MathF.Sqrt(v) + epsilon;
            first[i] = m;
            second[i] = v;
            var w = withGradientTerm ? values[i] + gradientCoefficient * (g / d) : values[i];
            values[i] = w + momentCoefficient * (m / d);
        }
    }
}

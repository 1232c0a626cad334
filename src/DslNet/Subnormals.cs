namespace DslNet;

/// <summary>
/// Subnormal floats (magnitudes below 1.2e-38 in float32) during DslNet's training, evaluation and prediction. By default
/// they are flushed to zero (the x86 flush-to-zero and denormals-are-zero modes), as TensorFlow, and so Keras, does on
/// CPUs: a deep network's gradients can hold thousands of them per batch, each taking a slow path in every operation that
/// meets it, while none is large enough to change a float32 weight it is added to. The mode is set on every thread torch
/// computes on for the duration of the call and put back afterwards; code outside DslNet's calls is not affected.
/// </summary>
public static class Subnormals
{
    /// <summary>Whether <c>Fit</c> (unless <see cref="FitOptions.FlushSubnormals"/> says otherwise), <c>Evaluate</c>, <c>Predict</c> and <c>FindLearningRate</c> flush subnormals (default true).</summary>
    public static bool Flush { get; set; } = true;
}

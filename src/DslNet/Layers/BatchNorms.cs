using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DslNet.Layers;

/// <summary>Batch normalization as Keras' options build it.</summary>
public static class BatchNorms
{
    /// <summary>
    /// Keras' <c>BatchNormalization(scale=False)</c>: <paramref name="norm"/> (built without affine parameters) gets a learned
    /// shift β and no scale (γ = 1), so it has <c>C</c> trainable parameters instead of <c>2C</c>.
    /// </summary>
    public static TNorm WithoutScale<TNorm>(TNorm norm)
        where TNorm : NormBase
    {
        ArgumentNullException.ThrowIfNull(norm);
        if (norm.weight is not null || norm.bias is not null)
        {
            throw new ArgumentException("Build the batch norm with affine: false; it then gets a shift and no scale.", nameof(norm));
        }

        norm.bias = new Parameter(zeros(norm.running_mean!.shape[0]));
        return norm;
    }
}

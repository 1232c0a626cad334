using static TorchSharp.torch;

namespace DslNet.Layers;

/// <summary>The input-shape check every generated <c>forward</c> starts with.</summary>
public static class InputShape
{
    /// <summary>
    /// Throws one clear <see cref="ArgumentException"/> unless <paramref name="input"/> is a batch of samples of
    /// <paramref name="sampleShape"/>, i.e. has shape [N, …sampleShape].
    /// </summary>
    public static void Check(Tensor input, long[] sampleShape, string modelName)
    {
        ArgumentNullException.ThrowIfNull(input);
        var shape = input.shape;
        if (shape.Length == sampleShape.Length + 1 && shape.AsSpan(1).SequenceEqual(sampleShape))
        {
            return;
        }

        var expected = "[N, " + string.Join(", ", sampleShape) + "]";
        var hint = Training.InputValidation.ShapeHint(modelName, shape, sampleShape);
        throw new ArgumentException(
            $"{modelName} expects input of shape {expected} (a batch of samples of shape [{string.Join(", ", sampleShape)}]), " +
            $"but got {Dataset.ShapeText(shape)}.{hint}",
            nameof(input));
    }
}

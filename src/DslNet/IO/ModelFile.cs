using static TorchSharp.torch;

namespace DslNet.IO;

/// <summary>Saving and loading a model's weights (and buffers, such as standardization statistics).</summary>
public static class ModelFile
{
    /// <summary>Saves every parameter and persistent buffer of <paramref name="model"/> to <paramref name="path"/>, atomically.</summary>
    public static void Save(nn.Module model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        AtomicFile.Write(path, temporary => model.save(temporary));
    }

    /// <summary>Loads into <paramref name="model"/> the weights saved by <see cref="Save"/>; one clear error when the file is missing or belongs to another architecture.</summary>
    public static void Load(nn.Module model, string path, string modelName)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No saved {modelName} weights at '{Path.GetFullPath(path)}'. Save them first with {modelName}.Save(path).", path);
        }

        try
        {
            model.load(path, strict: true);
        }
        catch (Exception error) when (error is ArgumentException or InvalidOperationException or IOException or EndOfStreamException or FormatException)
        {
            throw new InvalidDataException(
                $"'{Path.GetFullPath(path)}' does not hold {modelName} weights: {error.Message} Was it saved from a model with the same layers?", error);
        }
    }
}

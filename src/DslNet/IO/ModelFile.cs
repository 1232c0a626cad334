using System.Text.Json;
using DslNet.Training;
using static TorchSharp.torch;

namespace DslNet.IO;

/// <summary>
/// Saving and loading a model's weights (and buffers, such as standardization statistics). A model file starts with a
/// header that names the model and its architecture (see <see cref="ModelArchitecture"/>) and a checksum of the weights, so
/// that loading a file of another model, a truncated or a corrupt file is one clear error that leaves the model unchanged.
/// </summary>
public static class ModelFile
{
    private const string Magic = "DSLNETM1";
    private const string Kind = "DslNet model file";

    /// <summary>Saves every parameter and persistent buffer of <paramref name="model"/> to <paramref name="path"/>, atomically, stamped with its architecture.</summary>
    public static void Save(nn.Module model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var architecture = ModelArchitecture.Of(model);
        var header = JsonSerializer.Serialize(new Header(architecture.Name, architecture.Fingerprint, architecture.Layers, architecture.Layout));
        SealedFile.Write(path, Magic, header, writer => model.save(writer));
    }

    /// <summary>
    /// Loads into <paramref name="model"/> the weights saved by <see cref="Save"/>. A missing file, a file of another model
    /// or architecture, a truncated, corrupt or foreign file is one clear error naming the file (and both architectures), and
    /// the model's weights are left as they were. Files saved before model files had a header still load when they fit.
    /// </summary>
    public static void Load(nn.Module model, string path, string modelName)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"No saved {modelName} weights at '{full}'. Save them first with {modelName}.Save(path).", path);
        }

        if (!SealedFile.HasMagic(full, Magic))
        {
            LoadWithoutHeader(model, full, modelName);
            return;
        }

        var (headerText, payload) = SealedFile.Read(full, Magic, Kind);
        var saved = ParseHeader(headerText, full);
        var expected = ModelArchitecture.Of(model, modelName);
        if (saved.Name != expected.Name || saved.Fingerprint != expected.Fingerprint)
        {
            throw new InvalidDataException(
                $"'{full}' holds the weights of {saved}, not of {expected}: it differs in {expected.FirstDifference(saved)}. " +
                $"Load it with {saved.Name}.Load, or save {modelName}'s own weights first.");
        }

        LoadKeepingOnFailure(model, full, modelName, () =>
        {
            using var reader = new BinaryReader(new MemoryStream(payload, writable: false));
            model.load(reader, strict: true);
        });
    }

    /// <summary>A file from before the header: loaded if its entries fit the model exactly, else one clear error and the weights unchanged.</summary>
    private static void LoadWithoutHeader(nn.Module model, string full, string modelName) =>
        LoadKeepingOnFailure(model, full, modelName, () => model.load(full, strict: true));

    private static void LoadKeepingOnFailure(nn.Module model, string full, string modelName, Action load)
    {
        using var before = new ModelState(model);
        try
        {
            load();
        }
        catch (Exception error) when (error is ArgumentException or InvalidOperationException or IOException or EndOfStreamException or FormatException
                                          or OverflowException or IndexOutOfRangeException or InvalidDataException)
        {
            before.Restore(model);
            throw new InvalidDataException(
                $"'{full}' does not hold {modelName} weights: it is neither a {Kind} nor a weights file with {modelName}'s layers ({error.Message}); {modelName} is unchanged.", error);
        }
    }

    private static ModelArchitecture ParseHeader(string text, string full)
    {
        try
        {
            var header = JsonSerializer.Deserialize<Header>(text);
            if (header?.Name is { } name && header.Fingerprint is { } fingerprint && header.Layers is { } layers && header.Layout is { } layout)
            {
                var architecture = new ModelArchitecture(name, layers, layout);
                if (architecture.Fingerprint == fingerprint)
                {
                    return architecture;
                }
            }
        }
        catch (JsonException)
        {
            // Reported below.
        }

        throw new InvalidDataException($"'{full}' is a corrupt {Kind}: its header does not describe a model.");
    }

    private sealed record Header(string? Name, string? Fingerprint, string? Layers, string? Layout);
}

using DslNet.IO;
using DslNet.Tests.Models;
using TorchSharp;
using Xunit;

namespace DslNet.Tests.IO;

/// <summary>
/// Model files carry the model's name and architecture and a checksum of the weights: loading another model's file, a
/// truncated, damaged or random file is one clear error naming the file, and the model's weights stay as they were.
/// </summary>
public sealed class ModelFileTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("dslnet-model-file-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void A_file_of_another_model_class_names_the_file_and_both_architectures()
    {
        var path = Path.Combine(folder, "selu.weights");
        using (var selu = new SmallSeluNet())
        {
            selu.Save(path);
        }

        using var model = new ParametricSwishNet();
        var error = AssertRefusedUnchanged(model, path, "ParametricSwishNet");

        Assert.Contains("holds the weights of SmallSeluNet (architecture ", error.Message);
        Assert.Contains("not of ParametricSwishNet (architecture ", error.Message);
    }

    [Fact]
    public void A_truncated_file_is_a_clear_error()
    {
        var path = SavedSmallSeluNet();
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 100)]);

        using var model = new SmallSeluNet();
        var error = AssertRefusedUnchanged(model, path, "SmallSeluNet");

        Assert.Contains("is a truncated DslNet model file", error.Message);
    }

    [Fact]
    public void A_damaged_file_is_a_clear_error()
    {
        var path = SavedSmallSeluNet();
        var bytes = File.ReadAllBytes(path);
        bytes[^5] ^= 0x40;
        File.WriteAllBytes(path, bytes);

        using var model = new SmallSeluNet();
        var error = AssertRefusedUnchanged(model, path, "SmallSeluNet");

        Assert.Contains("does not match its checksum", error.Message);
    }

    [Fact]
    public void A_random_file_is_a_clear_error()
    {
        var path = Path.Combine(folder, "random.weights");
        var random = new byte[4096];
        new Random(5).NextBytes(random);
        File.WriteAllBytes(path, random);

        using var model = new SmallSeluNet();
        var error = AssertRefusedUnchanged(model, path, "SmallSeluNet");

        Assert.Contains("does not hold SmallSeluNet weights", error.Message);
    }

    [Fact]
    public void A_weights_file_from_before_the_header_still_loads()
    {
        var path = Path.Combine(folder, "old.weights");
        using var source = new SmallSeluNet();
        using (torch.no_grad())
        {
            source.parameters().First().add_(1);
        }

        source.save(path);

        using var loaded = SmallSeluNet.Load(path);

        Assert.True(loaded.parameters().First().allclose(source.parameters().First(), rtol: 0, atol: 0));
    }

    [Fact]
    public void The_header_names_the_model_and_its_layers()
    {
        var path = SavedSmallSeluNet();

        var text = System.Text.Encoding.UTF8.GetString(File.ReadAllBytes(path));

        Assert.StartsWith("DSLNETM1", text);
        Assert.Contains("\"Name\":\"SmallSeluNet\"", text);
        Assert.Contains("Dense", text);
    }

    [Fact]
    public void The_architecture_does_not_depend_on_the_summary_column_widths()
    {
        const string Narrow = "Model: \"A\"\n___\n Layer (type)   Output Shape   Param #\n===\n hidden1 (Dense, relu) (None, 100)  307,300\n___";
        const string Wide = "Model: \"B\"\n______\n Layer (type)      Output Shape      Param #\n======\n hidden1 (Dense, relu)     (None, 100)      307,300\n______";

        Assert.Equal(ModelArchitecture.LayerRows(Narrow), ModelArchitecture.LayerRows(Wide));
        Assert.NotEqual(ModelArchitecture.LayerRows(Narrow), ModelArchitecture.LayerRows(Narrow.Replace("100", "200", StringComparison.Ordinal)));
    }

    private string SavedSmallSeluNet()
    {
        var path = Path.Combine(folder, "selu.weights");
        using var model = new SmallSeluNet();
        model.Save(path);
        return path;
    }

    private static InvalidDataException AssertRefusedUnchanged(torch.nn.Module model, string path, string name)
    {
        using (torch.no_grad())
        {
            foreach (var p in model.parameters())
            {
                p.fill_(0.25);
            }
        }

        var error = Assert.Throws<InvalidDataException>(() => ModelFile.Load(model, path, name));

        Assert.Contains(path, error.Message);
        Assert.All(model.parameters(), p => Assert.True(p.eq(0.25).all().item<bool>(), "the weights are unchanged"));
        return error;
    }
}

using System.Collections;
using DslNet.IO;
using TorchSharp;
using TorchSharp.PyBridge;
using Xunit;
using static TorchSharp.torch;

namespace DslNet.Tests.Weights;

/// <summary>
/// ImportWeights / ExportWeights: a torchvision-layout state_dict (written by Fixtures/make_mini_resnet.py with PyTorch 1.13)
/// gives PyTorch's outputs; a shortcut listed first is placed by shape; DslNet's own files round-trip bit for bit; every
/// refused file is one clear error and leaves every state entry of the model as it was.
/// </summary>
public sealed class WeightImportTests : IDisposable
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Weights", "Fixtures");
    private static readonly string TorchFile = Path.Combine(Fixtures, "mini_resnet.pt");
    private readonly string folder = Directory.CreateTempSubdirectory("dslnet-weights-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void A_torchvision_state_dict_imports_and_gives_PyTorchs_outputs()
    {
        using var model = new MiniTorchResNet();
        model.ImportWeights(TorchFile);

        AssertGivesPyTorchsOutputs(model);
    }

    [Fact]
    public void A_unit_whose_shortcut_comes_first_is_matched_by_shape()
    {
        // CNTK's ONNX lists a downsampling unit's projection before its main path: the same tensors, reordered, as safetensors.
        using var scope = NewDisposeScope();
        var entries = WeightFiles.ReadStateDict(TorchFile).Select(e => new KeyValuePair<string, Tensor>(e.Name, e.Value)).ToList();
        var shortcut = entries.Where(e => e.Key.StartsWith("layer2.0.downsample.", StringComparison.Ordinal)).ToList();
        entries.RemoveAll(shortcut.Contains);
        entries.InsertRange(entries.FindIndex(e => e.Key.StartsWith("layer2.0.", StringComparison.Ordinal)), shortcut);
        var path = Path.Combine(folder, "shortcut-first.safetensors");
        WeightFiles.Write(path, entries);

        using var model = new MiniTorchResNet();
        model.ImportWeights(path);

        AssertGivesPyTorchsOutputs(model);
    }

    [Fact]
    public void Layers_imports_a_body_under_a_new_head_and_leaves_the_head_alone()
    {
        using var model = new MiniTorchResNetNewHead();
        var head = State(model).Where(e => e.Key.StartsWith("output.", StringComparison.Ordinal)).ToList();

        model.ImportWeights(TorchFile, layers: 15);

        using var reference = new MiniTorchResNet();
        reference.ImportWeights(TorchFile);
        var imported = State(model);
        foreach (var (key, value) in State(reference).Where(e => !e.Key.StartsWith("output.", StringComparison.Ordinal)))
        {
            Assert.True(Same(imported[key], value), key);
        }

        Assert.All(head, e => Assert.True(Same(imported[e.Key], e.Value), e.Key));
    }

    [Theory]
    [InlineData(1, "separates 'conv1' from its batch norm 'conv1Norm'")]
    [InlineData(4, "ends inside the residual unit 'residual1'")]
    [InlineData(17, "layers counts rows of MiniTorchResNet's Summary (Flatten rows aside): 1 to 16.")]
    public void Layers_that_split_a_layer_or_a_unit_or_exceed_the_summary_is_one_clear_error(int layers, string message)
    {
        using var model = new MiniTorchResNet();
        var before = State(model);

        var error = Assert.ThrowsAny<ArgumentException>(() => model.ImportWeights(TorchFile, layers));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        var after = model.state_dict();
        Assert.All(before, e => Assert.True(Same(after[e.Key], e.Value), e.Key));
    }

    [Theory]
    [InlineData(".pt")]
    [InlineData(".safetensors")]
    public void ExportWeights_then_ImportWeights_round_trips_bit_for_bit(string extension)
    {
        using var source = new MiniTorchResNet();
        source.ImportWeights(TorchFile);
        var path = Path.Combine(folder, "mini" + extension);
        source.ExportWeights(path);

        using var copy = new MiniTorchResNet();
        Assert.False(Same(copy.state_dict()["conv1Norm.running_var"], source.state_dict()["conv1Norm.running_var"]));
        copy.ImportWeights(path);

        var expected = State(source);
        var actual = State(copy);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        Assert.All(expected, e => Assert.True(Same(actual[e.Key], e.Value), e.Key));
    }

    [Fact]
    public void Exported_pt_lists_each_modules_parameters_then_its_buffers_as_PyTorch_does()
    {
        using var model = new MiniTorchResNet();
        var path = Path.Combine(folder, "layout.pt");
        model.ExportWeights(path);

        using var scope = NewDisposeScope();
        var keys = WeightFiles.ReadStateDict(path).Select(e => e.Name).ToList();
        Assert.Equal(["conv1.weight", "conv1Norm.weight", "conv1Norm.bias", "conv1Norm.running_mean", "conv1Norm.running_var", "conv1Norm.num_batches_tracked", "residual1.conv1.weight"], keys.Take(7));
        Assert.Equal(["output.weight", "output.bias"], keys.TakeLast(2));
    }

    [Fact]
    public void The_models_own_onnx_export_imports()
    {
        using var source = new MiniTorchResNet();
        source.ImportWeights(TorchFile);
        var path = Path.Combine(folder, "mini.onnx");
        source.ExportOnnx(path);

        using var copy = new MiniTorchResNet();
        copy.ImportWeights(path);

        var expected = State(source);
        Assert.All(State(copy).Where(e => !e.Key.EndsWith("num_batches_tracked", StringComparison.Ordinal)), e => Assert.True(Same(expected[e.Key], e.Value), e.Key));
    }

    [Fact]
    public void Fewer_tensors_than_layers_is_one_clear_error_and_changes_nothing()
    {
        using var model = new MiniTorchResNetTwoDense();
        var error = AssertRefusedUnchanged<InvalidOperationException>(model, TorchFile);

        Assert.Contains("holds fewer layers than the model", error.Message);
        Assert.Contains("layer 'output'", error.Message);
        Assert.Contains("output.weight [10, 10]", error.Message);
    }

    [Fact]
    public void A_shape_that_differs_names_the_layer_the_tensor_and_both_shapes_and_changes_nothing()
    {
        using var model = new MiniTorchResNetNewHead();
        var error = AssertRefusedUnchanged<InvalidOperationException>(model, TorchFile);

        Assert.Contains("'output.weight' has shape [3, 16], the file's 'fc.weight' has [10, 16]", error.Message);
    }

    [Fact]
    public void Leftover_tensors_are_an_error_unless_layers_is_given()
    {
        using var bigger = new MiniTorchResNetTwoDense();
        var path = Path.Combine(folder, "two-dense.pt");
        bigger.ExportWeights(path);

        using var model = new MiniTorchResNet();
        var error = AssertRefusedUnchanged<InvalidOperationException>(model, path);

        Assert.Contains("holds more layers than the model", error.Message, StringComparison.Ordinal);
        Assert.Contains("tensor 'output.weight' [10, 10] is left over", error.Message, StringComparison.Ordinal);
        Assert.Contains("Pass layers:", error.Message);
    }

    [Fact]
    public void An_ambiguous_match_inside_a_unit_is_one_clear_error_and_changes_nothing()
    {
        // The unit's projection has the shapes of its block's first conv; listed first, shapes cannot place it.
        using var source = new PointwiseResNet();
        using var scope = NewDisposeScope();
        var entries = WeightTransfer.PyTorchLayout(source, PointwiseResNet.Summary);
        var shortcut = entries.Where(e => e.Key.StartsWith("residual1.projection", StringComparison.Ordinal)).ToList();
        entries.RemoveAll(shortcut.Contains);
        entries.InsertRange(entries.FindIndex(e => e.Key.StartsWith("residual1.", StringComparison.Ordinal)), shortcut);
        entries.Insert(0, new("extra.note", torch.zeros(1)));
        var path = Path.Combine(folder, "ambiguous.pt");
        WeightFiles.Write(path, entries);

        using var model = new PointwiseResNet();
        var error = AssertRefusedUnchanged<InvalidOperationException>(model, path);

        Assert.Contains("ambiguous match in residual unit 'residual1'", error.Message);
        Assert.Contains("[16, 8, 1, 1]", error.Message);
    }

    [Theory]
    [InlineData("weights.onnx")]
    [InlineData("weights.pt")]
    [InlineData("weights.safetensors")]
    public void A_file_of_the_wrong_kind_is_one_clear_error_and_changes_nothing(string name)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, "these are not weights at all, just some words in a text file");

        using var model = new MiniTorchResNet();
        var error = AssertRefusedUnchanged<InvalidDataException>(model, path);

        Assert.Contains("the file is not a", error.Message);
        Assert.Contains("Nothing was imported", error.Message);
    }

    [Fact]
    public void An_extension_DslNet_does_not_read_is_one_clear_error()
    {
        var path = Path.Combine(folder, "weights.h5");
        File.WriteAllText(path, "HDF");

        using var model = new MiniTorchResNet();
        var error = AssertRefusedUnchanged<ArgumentException>(model, path);

        Assert.Contains("DslNet reads .onnx, .pt / .pth (torch.save of a state_dict) and .safetensors files, not '.h5'", error.Message);
    }

    private static void AssertGivesPyTorchsOutputs(MiniTorchResNet model)
    {
        using var scope = NewDisposeScope();
        var io = PyTorchUnpickler.UnpickleStateDict(Path.Combine(Fixtures, "mini_resnet_io.pt"));
        var input = (Tensor)io["input"]!;
        var expected = (Tensor)io["output"]!;
        model.eval();
        using var noGrad = no_grad();
        var actual = model.Logits(input);
        var difference = (actual - expected).abs().max().item<float>();
        Assert.True(difference < 1e-5, $"largest difference from PyTorch's output: {difference}");
    }

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    private static Dictionary<string, Tensor> State(nn.Module model) =>
        model.state_dict().ToDictionary(e => e.Key, e => e.Value.detach().clone());

    private static TException AssertRefusedUnchanged<TException>(DslModule model, string path)
        where TException : Exception
    {
        var before = State(model);
        var error = Assert.Throws<TException>(() => model.ImportWeights(path));
        var after = model.state_dict();
        Assert.All(before, e => Assert.True(Same(after[e.Key], e.Value), e.Key));
        Assert.Contains($"{model.Name}.ImportWeights(", error.Message);
        return error;
    }
}

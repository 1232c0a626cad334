using DslNet.CodeFixes;
using Xunit;
using static DslNet.Generators.Tests.Diagnostics.DiagnosticAssert;

namespace DslNet.Generators.Tests.Diagnostics;

/// <summary>DSL007 (what [Reuse] cannot take) and DSL213 (the reuse takes the source's output layer), each with a close case that compiles clean.</summary>
public sealed class ReuseRuleTests
{
    // Rows of Source's summary: hidden1, hidden2, hidden3, hidden3Norm, output (5); the four before the output are the default.
    private const string Source =
        "[Model(12)]\n[Dense(16, Repeat = 2, Act = Act.ReLU)]\n[Dense(8, Act = Act.ReLU, BatchNorm = true, UseBias = false)]\n[Dense(4, Act = Act.Softmax)]\npublic partial class Source\n{\n}\n\n";

    [Fact]
    public Task Clean_with_the_default_layers() => VerifyAsync(Reusing("[Model(12)]\n[Reuse(typeof(Source))]\n[Dense(1, Act = Act.Sigmoid)]"));

    [Fact]
    public Task DSL007_SourceIsNotAModel() => VerifyAsync(Reusing("[Model(12)]\n[Reuse({|DSL007:typeof(string)|})]\n[Dense(1, Act = Act.Sigmoid)]"));

    [Fact]
    public Task DSL007_SourceIsTheModelItself() => VerifyAsync(Reusing("[Model(12)]\n[Reuse({|DSL007:typeof(Net)|})]\n[Dense(1, Act = Act.Sigmoid)]"));

    [Fact]
    public Task DSL007_SourceHasErrors() => VerifyAsync(ModelSource(
        "[Model(12)]\n[Dense(4)]\npublic class {|DSL001:Broken|}\n{\n}\n\n[Model(12)]\n[Reuse({|DSL007:typeof(Broken)|})]\n[Dense(1, Act = Act.Sigmoid)]"));

    [Fact]
    public Task DSL007_LayersBelowOne() => VerifyAsync(Reusing("[Model(12)]\n[Reuse(typeof(Source), {|DSL007:Layers = 0|})]\n[Dense(1, Act = Act.Sigmoid)]"));

    [Fact]
    public Task DSL007_NotWithOneLayer() => VerifyAsync(Reusing("[Model(12)]\n[Reuse(typeof(Source), Layers = 1)]\n[Dense(1, Act = Act.Sigmoid)]"));

    [Fact]
    public Task DSL007_MoreLayersThanTheSourceHas() => VerifyAsync(Reusing("[Model(12)]\n[Reuse(typeof(Source), {|DSL007:Layers = 6|})]\n[Dense(1, Act = Act.Sigmoid)]"));

    [Fact]
    public Task DSL007_NotWithEveryRowBeforeTheOutput() => VerifyAsync(Reusing("[Model(12)]\n[Reuse(typeof(Source), Layers = 4)]\n[Dense(1, Act = Act.Sigmoid)]"));

    [Fact]
    public Task DSL007_NotFirst() => VerifyAsync(Reusing("[Model(12)]\n[Dense(12)]\n[{|DSL007:Reuse(typeof(Source))|}]\n[Dense(1, Act = Act.Sigmoid)]"));

    [Fact]
    public Task DSL007_OtherInputShape() => VerifyAsync(Reusing("[Model(3, 4)]\n[{|DSL007:Reuse(typeof(Source))|}]\n[Dense(1, Act = Act.Sigmoid)]"));

    [Fact]
    public Task DSL007_SplitsADenseFromItsBatchNorm() => VerifyAsync(Reusing("[Model(12)]\n[Reuse(typeof(Source), {|DSL007:Layers = 3|})]\n[Dense(1, Act = Act.Sigmoid)]"));

    [Fact]
    public Task DSL007_NotWhenTheDenseAndItsBatchNormStayTogether() => VerifyAsync(Reusing("[Model(12)]\n[Reuse(typeof(Source), Layers = 2)]\n[Dense(1, Act = Act.Sigmoid)]"));

    [Fact]
    public Task DSL007_SourceWithNothingBeforeItsOutput() => VerifyAsync(ModelSource(
        "[Model(12)]\n[Dense(4, Act = Act.Softmax)]\npublic partial class Tiny\n{\n}\n\n[Model(12)]\n[{|DSL007:Reuse(typeof(Tiny))|}]\n[Dense(1, Act = Act.Sigmoid)]"));

    [Fact]
    public Task DSL213_TheOutputLayerIsReused() => VerifyAsync(Reusing("[Model(12)]\n[Reuse(typeof(Source), {|DSL213:Layers = 5|})]\n[Dense(1, Act = Act.Sigmoid)]"));

    [Fact]
    public Task The_source_reports_its_own_layers_faults_the_reusing_model_does_not_repeat_them() => VerifyAsync(ModelSource(
        "[Model(12)]\n[Dense(16, Act = Act.ReLU, {|DSL202:Init = Init.Glorot|})]\n[Dense(4, Act = Act.Softmax)]\npublic partial class Glorot\n{\n}\n\n" +
        "[Model(12)]\n[Reuse(typeof(Glorot))]\n[Dense(1, Act = Act.Sigmoid)]"));

    [Fact]
    public Task Trainable_false_is_clean() => VerifyAsync(ModelSource("[Model(12)]\n[Dense(16, Act = Act.ReLU, Trainable = false)]\n[BatchNorm(Trainable = false)]\n[Dense(1, Act = Act.Sigmoid)]"));

    [Fact]
    public async Task DSL007_Messages_say_what_to_do()
    {
        var split = await VerifyAsync(Reusing("[Model(12)]\n[Reuse(typeof(Source), {|DSL007:Layers = 3|})]\n[Dense(1, Act = Act.Sigmoid)]"));
        Assert.Equal(
            "Layers = 3 would split 'hidden3' from its own batch norm 'hidden3Norm' (Dense(BatchNorm = true) is one layer of two rows): reuse Layers = 2 or 4",
            split.Single("DSL007").GetMessage());

        var convolutional = await VerifyAsync(ModelSource(
            "[Model(3, 8, 8)]\n[Conv2D(4, 3, Padding = Padding.Same, UseBias = false, BatchNorm = true, Act = Act.ReLU)]\n[GlobalAvgPool]\n[Dense(2, Act = Act.Softmax)]\npublic partial class ConvSource\n{\n}\n\n" +
            "[Model(3, 8, 8)]\n[Reuse(typeof(ConvSource), {|DSL007:Layers = 1|})]\n[GlobalAvgPool]\n[Dense(1, Act = Act.Sigmoid)]"));
        Assert.Equal(
            "Layers = 1 would split 'conv1' from its own batch norm 'conv1Norm' (Conv2D(BatchNorm = true) is one layer of two rows): reuse Layers = 2",
            convolutional.Single("DSL007").GetMessage());

        var shape = await VerifyAsync(Reusing("[Model(3, 4)]\n[{|DSL007:Reuse(typeof(Source))|}]\n[Dense(1, Act = Act.Sigmoid)]"));
        Assert.Contains("declare [Model(12)]", shape.Single("DSL007").GetMessage());

        var output = await VerifyAsync(Reusing("[Model(12)]\n[Reuse(typeof(Source), {|DSL213:Layers = 5|})]\n[Dense(1, Act = Act.Sigmoid)]"));
        Assert.Equal(
            "[Reuse] takes 5 rows of 'Source', up to its output layer 'output', which is specific to the source's task; reuse Layers = 4 and add a new output layer",
            output.Single("DSL213").GetMessage());
    }

    private static string Reusing(string attributes) => ModelSource(Source + attributes);
}

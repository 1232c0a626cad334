using Xunit;
using static DslNet.Generators.Tests.Diagnostics.DiagnosticAssert;

namespace DslNet.Generators.Tests.Diagnostics;

/// <summary>DSL201–DSL206: initializers, activations, momentum and dropout that train badly.</summary>
public sealed class TrainingRuleTests
{
    private const string Output = "[Dense(10, Act = Act.Softmax)]";

    private static string Net(string hidden) => ModelSource($"[Model(3, 32, 32)]\n{hidden}\n{Output}");

    [Fact]
    public async Task DSL201_ZerosOnAHiddenLayer()
    {
        var diagnostics = await VerifyAsync(Net("[Dense(100, Act = Act.ReLU, {|DSL201:Init = Init.Zeros|})]"));
        Assert.StartsWith("layer 1 (Dense 100, ReLU) starts with every weight equal to 0, so", diagnostics.Single("DSL201").GetMessage());
    }

    [Fact]
    public async Task DSL201_Constant()
    {
        var diagnostics = await VerifyAsync(Net("[Dense(100, Act = Act.Tanh, {|DSL201:Init = Init.Constant|}, InitValue = 0.5)]"));
        Assert.StartsWith("layer 1 (Dense 100, Tanh) starts with every weight equal to 0.5, so", diagnostics.Single("DSL201").GetMessage());
    }

    [Fact]
    public Task DSL201_NotOnTheOutputLayerOrOneUnit() => VerifyAsync(ModelSource(
        "[Model(3, 32, 32)]\n[Dense(1, Act = Act.Tanh, Init = Init.Constant, InitValue = 0.5)]\n[Dense(100, Act = Act.ReLU)]\n[Dense(10, Act = Act.Softmax, Init = Init.Zeros)]"));

    [Fact]
    public async Task DSL202_GlorotOnReLU()
    {
        var diagnostics = await VerifyAsync(Net("[Dense(100, Act = Act.ReLU, {|DSL202:Init = Init.Glorot|})]"));
        Assert.Equal("layer 1 (Dense 100, ReLU) uses Glorot initialization with ReLU; He is the matching initializer", diagnostics.Single("DSL202").GetMessage());
        Assert.Equal("He", diagnostics.Single("DSL202").Properties["Suggestion"]);
    }

    [Fact]
    public Task DSL202_HeOnTanhAndLeCunOnSwishAndHeOnTheOutput() => VerifyAsync(ModelSource(
        "[Model(3, 32, 32)]\n[Dense(100, Act = Act.Tanh, {|DSL202:Init = Init.He|})]\n[Dense(100, Act = Act.Swish, {|DSL202:Init = Init.LeCun|})]\n[Dense(10, Act = Act.Softmax, {|DSL202:Init = Init.HeUniform|})]"));

    [Fact]
    public Task DSL202_LinearDenseFeedingAnActivationIsJudgedByThatActivation() => VerifyAsync(Net(
        "[Dense(100, Init = Init.He, UseBias = false)]\n[BatchNorm]\n[Activation(Act.ELU)]\n[Dense(100, {|DSL202:Init = Init.Glorot|})]\n[Activation(Act.GELU)]"));

    [Fact]
    public Task DSL202_NotForTheSameFamily() => VerifyAsync(Net(
        "[Dense(100, Act = Act.ReLU, Init = Init.HeUniform)]\n[Dense(100, Act = Act.Tanh, Init = Init.GlorotNormal)]\n[Dense(100, Act = Act.Mish, Init = Init.He)]"));

    [Fact]
    public async Task DSL203_HiddenSigmoidAndSoftmax()
    {
        var diagnostics = await VerifyAsync(Net("[Dense(100, {|DSL203:Act = Act.Sigmoid|})]\n[Dense(100, Act = Act.ReLU)]\n[Activation({|DSL203:Act.Softmax|})]"));
        Assert.Equal(
            "layer 1 (Dense 100, Sigmoid) uses Sigmoid in a hidden layer; it saturates and squashes gradients: use it only in the output layer",
            diagnostics[0].GetMessage());
    }

    [Fact]
    public Task DSL203_NotOnTheOutput() => VerifyAsync(ModelSource(
        "[Model(8)]\n[Dense(30, Act = Act.ReLU)]\n[Dense(1)]\n[Activation(Act.Sigmoid)]"));

    [Fact]
    public Task DSL205_AlphaDropoutWithoutSelu() => VerifyAsync(Net("[Dense(100, Act = Act.ReLU)]\n[{|DSL205:AlphaDropout(0.1)|}]"));

    [Fact]
    public Task DSL205_NotInASeluNetwork() => VerifyAsync(ModelSource(
        "[Model(3, 32, 32)]\n[Standardize]\n[Dense(100, Act = Act.SELU)]\n[AlphaDropout(0.1)]\n" + Output));

    [Fact]
    public async Task DSL206_TenTanhLayersWithoutBatchNorm()
    {
        var diagnostics = await VerifyAsync(Net("[{|DSL206:Dense(100, Repeat = 10, Act = Act.Tanh)|}]"));
        Assert.StartsWith("Model 'Net' has 10 hidden tanh layers and no batch normalization;", diagnostics.Single("DSL206").GetMessage());
    }

    [Fact]
    public Task DSL206_CountsTanhAndSigmoidTogether() => VerifyAsync(Net(
        "[{|DSL206:Dense(100, Repeat = 6, Act = Act.Tanh)|}]\n[Dense(100)]\n[Activation({|DSL203:Act.Sigmoid|})]\n[Dense(100, Repeat = 3, {|DSL203:Act = Act.Sigmoid|})]"));

    [Fact]
    public Task DSL206_NotForNineLayers() => VerifyAsync(Net("[Dense(100, Repeat = 9, Act = Act.Tanh)]"));

    [Fact]
    public Task DSL206_NotWithBatchNorm() => VerifyAsync(Net("[Dense(100, Repeat = 12, Act = Act.Tanh, BatchNorm = true, UseBias = false)]"));

    [Fact]
    public async Task DSL204_WarningNear1()
    {
        var diagnostics = await VerifyAsync(ModelSource("[Model(4)]\n[Dense(1)]\n[Sgd({|DSL204:Momentum = 0.999|})]"));
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning, diagnostics.Single("DSL204").Severity);
        Assert.Equal("SGD momentum is 0.999; so close to 1 the optimizer overshoots and oscillates for a long time: 0.9 is the usual choice",
            diagnostics.Single("DSL204").GetMessage());
    }

    [Fact]
    public Task DSL204_NotForUsualMomentum() => VerifyAsync(ModelSource("[Model(4)]\n[Dense(1)]\n[Sgd(Momentum = 0.99, Nesterov = true)]"));
}

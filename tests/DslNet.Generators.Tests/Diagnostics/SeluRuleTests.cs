using Xunit;
using static DslNet.Generators.Tests.Diagnostics.DiagnosticAssert;

namespace DslNet.Generators.Tests.Diagnostics;

/// <summary>DSL101–DSL106: the self-normalization conditions of a SELU network.</summary>
public sealed class SeluRuleTests
{
    private const string Selu = "[Dense(100, Repeat = 20, Act = Act.SELU, Init = Init.LeCun)]";
    private const string Output = "[Dense(10, Act = Act.Softmax)]";

    private static string SeluNet(string hidden) => ModelSource($"[Model(3, 32, 32)]\n[Standardize]\n{hidden}\n{Output}");

    [Fact]
    public async Task DSL101_ExplicitHeOnARepeatedSeluLayerIsReportedOnce()
    {
        var diagnostics = await VerifyAsync(SeluNet("[Dense(100, Repeat = 20, Act = Act.SELU, {|DSL101:Init = Init.He|})]"));
        Assert.Equal(
            "layer 2 (Dense 100 × 20, SELU) is initialized with He; self-normalization needs LeCun normal (Init = Init.LeCun)",
            diagnostics.Single("DSL101").GetMessage());
    }

    [Fact]
    public Task DSL101_LeCunUniform() => VerifyAsync(SeluNet("[Dense(100, Act = Act.SELU, {|DSL101:Init = Init.LeCunUniform|})]"));

    [Fact]
    public async Task DSL101_LinearDenseFeedingASeluActivationPointsAtTheAttribute()
    {
        var diagnostics = await VerifyAsync(SeluNet("[{|DSL101:Dense(100)|}]\n[Activation(Act.SELU)]"));
        Assert.Equal(
            "layer 2 (Dense 100) is initialized with Glorot (chosen by Init.Auto for a linear layer); self-normalization needs LeCun normal (Init = Init.LeCun)",
            diagnostics.Single("DSL101").GetMessage());
    }

    [Fact]
    public Task DSL101_NotForLeCunOrAuto() => VerifyAsync(SeluNet(
        "[Dense(100, Act = Act.SELU, Init = Init.LeCun)]\n[Dense(100, Act = Act.SELU)]\n[Dense(100, Init = Init.LeCun)]\n[Activation(Act.SELU)]"));

    [Fact]
    public Task DSL102_BatchNormLayerAndArgument() => VerifyAsync(SeluNet(
        "[Dense(100, Act = Act.SELU, UseBias = false, {|DSL102:BatchNorm = true|})]\n[{|DSL102:BatchNorm|}]\n" + Selu));

    [Fact]
    public Task DSL102_NotInANetworkThatIsNotSelu() => VerifyAsync(ModelSource(
        "[Model(3, 32, 32)]\n[Dense(100, Repeat = 3, Act = Act.ReLU, BatchNorm = true, UseBias = false)]\n[BatchNorm]\n" + Output));

    [Fact]
    public async Task DSL103_PlainDropout()
    {
        var diagnostics = await VerifyAsync(SeluNet(Selu + "\n[{|DSL103:Dropout(0.2)|}]"));
        Assert.Equal(
            "layer 3 (Dropout 0.2) is plain dropout in a SELU network; it shifts the activations' mean and variance: use [AlphaDropout(0.2)]",
            diagnostics.Single("DSL103").GetMessage());
    }

    [Fact]
    public Task DSL103_NotForAlphaDropout() => VerifyAsync(SeluNet(Selu + "\n[AlphaDropout(0.2)]"));

    [Fact]
    public Task DSL104_L2() => VerifyAsync(SeluNet("[Dense(100, Act = Act.SELU, {|DSL104:L2 = 0.01|})]"));

    [Fact]
    public async Task DSL104_SeveralPenaltiesOnOneLayerAreOneDiagnostic()
    {
        var diagnostics = await VerifyAsync(SeluNet("[Dense(100, Act = Act.SELU, {|DSL104:L1 = 0.01|}, MaxNorm = 1)]"));
        Assert.Equal(
            "layer 2 (Dense 100, SELU) uses ℓ1 regularization (L1 = 0.01) and a max-norm constraint (MaxNorm = 1) in a SELU network; ℓ1, ℓ2 and max-norm regularization break self-normalization (use AlphaDropout to regularize)",
            diagnostics.Single("DSL104").GetMessage());
    }

    [Fact]
    public Task DSL104_OnTheOutputLayerToo() => VerifyAsync(ModelSource(
        $"[Model(3, 32, 32)]\n[Standardize]\n{Selu}\n[Dense(10, Act = Act.Softmax, {{|DSL104:MaxNorm = 3|}})]"));

    [Fact]
    public Task DSL104_NotInANetworkThatIsNotSelu() => VerifyAsync(ModelSource("[Model(3, 32, 32)]\n[Dense(100, Act = Act.ELU, L2 = 0.01, MaxNorm = 1)]\n" + Output));

    [Fact]
    public async Task DSL105_InputsNotStandardized()
    {
        var diagnostics = await VerifyAsync(ModelSource($"[Model(3, 32, 32)]\n{Selu}\n{Output}", "public partial class {|DSL105:Net|}"));
        Assert.Equal(
            "SELU network 'Net' takes inputs that are not standardized; add [Standardize] as the first layer, or set InputsStandardized = true if you standardize them yourself",
            diagnostics.Single("DSL105").GetMessage());
    }

    [Fact]
    public Task DSL105_NotWhenTheUserStandardizes() => VerifyAsync(ModelSource($"[Model(3, 32, 32, InputsStandardized = true)]\n{Selu}\n{Output}"));

    [Fact]
    public Task DSL105_NotForASeluOutputAlone() => VerifyAsync(ModelSource("[Model(8)]\n[Dense(1, Act = Act.SELU)]"));

    [Fact]
    public async Task DSL106_OtherHiddenActivations()
    {
        var diagnostics = await VerifyAsync(SeluNet(
            Selu + "\n[Dense(100, {|DSL106:Act = Act.ReLU|})]\n[{|DSL106:Dense(50)|}]\n[Dense(100)]\n[Activation({|DSL106:Act.Tanh|})]"));
        Assert.Equal(
            "layer 4 (Dense 50) uses no activation (linear) in a SELU network; self-normalization needs every hidden layer to be SELU",
            diagnostics[1].GetMessage());
    }

    [Fact]
    public Task DSL106_NotForALinearDenseFeedingASeluActivation() => VerifyAsync(SeluNet(
        Selu + "\n[Dense(100, Init = Init.LeCun)]\n[Activation(Act.SELU)]\n[AlphaDropout(0.1)]"));

    [Fact]
    public Task SeluRules_DoNotApplyWhenSeluIsOnlyTheOutput() => VerifyAsync(ModelSource(
        "[Model(8)]\n[Dense(30, Act = Act.ReLU, L2 = 0.01)]\n[BatchNorm]\n[Dropout(0.2)]\n[Dense(1, Act = Act.SELU)]"));
}

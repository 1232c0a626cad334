using Xunit;
using static DslNet.Generators.Tests.Diagnostics.DiagnosticAssert;

namespace DslNet.Generators.Tests.Diagnostics;

/// <summary>The rules through residual units: DSL006 for paths that cannot be added, the other rules inside units, DSL107, [Reuse] of whole units.</summary>
public sealed class ResidualRuleTests
{
    private const string Stem = "[Model(3, 16, 16)]\n[Conv2D(8, 3, Padding = Padding.Same, UseBias = false, BatchNorm = true, Act = Act.ReLU)]\n";
    private const string Head = "[GlobalAvgPool]\n[Dense(10, Act = Act.Softmax)]";

    // Rows of ResSource's summary: conv1, conv1Norm (2); residual1: conv1, conv1Norm, conv2, conv2Norm, add (3–7);
    // residual2: the same with projection, projectionNorm (8–14); globalAvgPool (15); output (16).
    private const string ResSource = Stem + "[Residual(8)]\n[Residual(16, Stride = 2)]\n" + Head + "\npublic partial class ResSource\n{\n}\n\n";

    [Fact]
    public Task Clean_for_a_ResNet() => VerifyAsync(ModelSource(Stem + "[Residual(8, Repeat = 2)]\n[Residual(16, Stride = 2, Init = Init.He)]\n" + Head));

    [Fact]
    public async Task DSL006_PathsThatCannotBeAdded()
    {
        var diagnostics = await VerifyAsync(ModelSource(Stem + "[{|DSL006:Residual(8, Padding = Padding.Valid)|}]\n" + Head));

        Assert.Equal(
            "layer 2 (Residual 8) receives (8, 16, 16), but its main path ends in (8, 12, 12) and its shortcut (the identity) in (8, 16, 16), which cannot be added; use Padding.Same or Padding.Symmetric",
            Assert.Single(diagnostics).GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public Task DSL202_InsideAUnit() => VerifyAsync(ModelSource(Stem + "[Residual(8, {|DSL202:Init = Init.Glorot|})]\n" + Head));

    [Fact]
    public Task DSL208_BatchNormInsideAUnitAfterDropout() => VerifyAsync(ModelSource(Stem + "[{|DSL208:Dropout(0.2)|}]\n[Residual(8)]\n" + Head));

    [Fact]
    public Task DSL107_DSL102_ResidualUnitInASeluNetwork() => VerifyAsync(ModelSource(
        "[Model(3, 16, 16)]\n[Standardize]\n[Conv2D(8, 3, Padding = Padding.Same, Act = Act.SELU, Init = Init.LeCun)]\n[{|DSL102:{|DSL107:Residual(8, Act = Act.SELU)|}|}]\n" + Head));

    [Fact]
    public Task DSL107_NotWithoutSelu() => VerifyAsync(ModelSource(Stem + "[Residual(8, Act = Act.ELU)]\n" + Head));

    [Fact]
    public async Task DSL007_SplitsAResidualUnit()
    {
        var diagnostics = await VerifyAsync(ModelSource(ResSource + "[Model(3, 16, 16)]\n[Reuse(typeof(ResSource), {|DSL007:Layers = 5|})]\n" + Head));

        Assert.Equal(
            "Layers = 5 would split the residual unit 'residual1' (rows 3 to 7 of 'ResSource''s Summary): a unit is reused whole, main path, shortcut and sum; reuse Layers = 2 or 7",
            Assert.Single(diagnostics).GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public Task DSL007_NotWithWholeUnits() => VerifyAsync(ModelSource(ResSource + "[Model(3, 16, 16)]\n[Reuse(typeof(ResSource), Layers = 14)]\n" + Head));

    private const string Blocks =
        "[Block]\n[Conv2D(16, 3, Stride = 2, Padding = Padding.Same, UseBias = false, BatchNorm = true, Act = Act.ReLU)]\npublic partial class Down\n{\n}\n\n";

    [Fact]
    public Task Clean_for_a_block_projected_automatically() => VerifyAsync(ModelSource(Blocks + Stem + "[Residual(typeof(Down), Act = Act.ReLU)]\n" + Head));

    [Fact]
    public async Task DSL006_ABlockThatChangesTheShapeWithProjectionNone()
    {
        var diagnostics = await VerifyAsync(ModelSource(Blocks + Stem + "[{|DSL006:Residual(typeof(Down), Projection = Projection.None)|}]\n" + Head));

        Assert.Equal(
            "layer 2 (Residual Down) receives (8, 16, 16), but its main path ([Block] Down) ends in (16, 8, 8) and its shortcut (the identity) in (8, 16, 16), which cannot be added; " +
            "keep the block's output shape equal to its input's, or let Projection.Auto add a 1×1 projection",
            Assert.Single(diagnostics).GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public Task DSL002_NotABlock() => VerifyAsync(ModelSource(Stem + "[Residual({|DSL002:typeof(string)|})]\n" + Head));

    [Fact]
    public Task DSL202_InsideABlock() => VerifyAsync(ModelSource(
        "[Block]\n[Conv2D(8, 3, Padding = Padding.Same, Act = Act.ReLU, Init = Init.Glorot)]\npublic partial class Glorot\n{\n}\n\n" + Stem + "[{|DSL202:Residual(typeof(Glorot))|}]\n" + Head));
}

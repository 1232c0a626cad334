using DslNet.CodeFixes;
using Xunit;

namespace DslNet.Generators.Tests.Diagnostics;

/// <summary>Each code fix: the exact source before and after.</summary>
public sealed class CodeFixTests
{
    private const string Header = "using DslNet;\n\nnamespace Samples;\n\n";
    private const string Class = "public partial class Net\n{\n}\n";
    private const string ReuseSource = "[Model(8)]\n[Dense(16, Act = Act.ReLU, BatchNorm = true, UseBias = false)]\n[Dense(4, Act = Act.Softmax)]\npublic partial class Source\n{\n}\n\n";

    [Fact]
    public Task DSL101_ReplacesTheInitializer() => AssertFix(new InitializerCodeFix(), "DSL101",
        Header + "[Model(8)]\n[Standardize]\n[Dense(100, Repeat = 20, Act = Act.SELU, Init = Init.He)]\n[Dense(1)]\n" + Class,
        Header + "[Model(8)]\n[Standardize]\n[Dense(100, Repeat = 20, Act = Act.SELU, Init = Init.LeCun)]\n[Dense(1)]\n" + Class);

    [Fact]
    public Task DSL101_AddsTheInitializerToALinearDenseFeedingSelu() => AssertFix(new InitializerCodeFix(), "DSL101",
        Header + "[Model(8)]\n[Standardize]\n[Dense(100)]\n[Activation(Act.SELU)]\n[Dense(1)]\n" + Class,
        Header + "[Model(8)]\n[Standardize]\n[Dense(100, Init = Init.LeCun)]\n[Activation(Act.SELU)]\n[Dense(1)]\n" + Class);

    [Fact]
    public Task DSL101_AddsAQualifiedInitializerWithoutUsing() => AssertFix(new InitializerCodeFix(), "DSL101",
        "[DslNet.Model(8, InputsStandardized = true)]\n[DslNet.Dense(100)]\n[DslNet.Activation(DslNet.Act.SELU)]\n[DslNet.Dense(1)]\n" + Class,
        "[DslNet.Model(8, InputsStandardized = true)]\n[DslNet.Dense(100, Init = DslNet.Init.LeCun)]\n[DslNet.Activation(DslNet.Act.SELU)]\n[DslNet.Dense(1)]\n" + Class);

    [Fact]
    public Task DSL202_SwitchesToTheMatchingInitializer() => AssertFix(new InitializerCodeFix(), "DSL202",
        Header + "[Model(8)]\n[Dense(100, Act = Act.ReLU, Init = Init.Glorot)]\n[Dense(100, Act = Act.Tanh, Init = DslNet.Init.HeUniform)]\n[Dense(1)]\n" + Class,
        Header + "[Model(8)]\n[Dense(100, Act = Act.ReLU, Init = Init.He)]\n[Dense(100, Act = Act.Tanh, Init = DslNet.Init.Glorot)]\n[Dense(1)]\n" + Class);

    [Fact]
    public Task DSL202_FixAllInDocument() => AssertFix(new InitializerCodeFix(), "DSL202",
        Header + "[Model(8)]\n[Dense(100, Act = Act.ELU, Init = Init.LeCun)]\n[Dense(100, Act = Act.GELU, Init = Init.GlorotNormal)]\n[Dense(1)]\n" + Class,
        Header + "[Model(8)]\n[Dense(100, Act = Act.ELU, Init = Init.He)]\n[Dense(100, Act = Act.GELU, Init = Init.He)]\n[Dense(1)]\n" + Class,
        fixAll: true);

    [Fact]
    public Task DSL213_ReusesEveryRowBeforeTheSourcesOutput() => AssertFix(new ReuseLayersCodeFix(), "DSL213",
        Header + ReuseSource + "[Model(8)]\n[Reuse(typeof(Source), Layers = 3)]\n[Dense(1, Act = Act.Sigmoid)]\n" + Class,
        Header + ReuseSource + "[Model(8)]\n[Reuse(typeof(Source), Layers = 2)]\n[Dense(1, Act = Act.Sigmoid)]\n" + Class);

    [Fact]
    public Task DSL007_KeepsADenseWithItsBatchNorm() => AssertFix(new ReuseLayersCodeFix(), "DSL007",
        Header + ReuseSource + "[Model(8)]\n[Reuse(typeof(Source), Layers = /* two */ 1)]\n[Dense(1, Act = Act.Sigmoid)]\n" + Class,
        Header + ReuseSource + "[Model(8)]\n[Reuse(typeof(Source), Layers = /* two */ 2)]\n[Dense(1, Act = Act.Sigmoid)]\n" + Class);

    [Fact]
    public Task DSL103_RenamesDropoutKeepingTheRate() => AssertFix(new AlphaDropoutCodeFix(), "DSL103",
        Header + "[Model(8)]\n[Standardize]\n[Dense(100, Act = Act.SELU)]\n[Dropout(0.2)] // regularize\n[Dense(1)]\n" + Class,
        Header + "[Model(8)]\n[Standardize]\n[Dense(100, Act = Act.SELU)]\n[AlphaDropout(0.2)] // regularize\n[Dense(1)]\n" + Class);

    [Fact]
    public Task DSL103_KeepsQualificationAndSuffix() => AssertFix(new AlphaDropoutCodeFix(), "DSL103",
        Header + "[Model(8)]\n[Standardize]\n[Dense(100, Act = Act.SELU)]\n[DslNet.DropoutAttribute(rate: 0.2)]\n[Dense(1)]\n" + Class,
        Header + "[Model(8)]\n[Standardize]\n[Dense(100, Act = Act.SELU)]\n[DslNet.AlphaDropoutAttribute(rate: 0.2)]\n[Dense(1)]\n" + Class);

    [Fact]
    public Task DSL207_AddsUseBiasFalse() => AssertFix(new UseBiasCodeFix(), "DSL207",
        Header + "[Model(3, 8, 8)]\n[Conv2D(8, 3, BatchNorm = true, Act = Act.ReLU)]\n[Dense(1)]\n" + Class,
        Header + "[Model(3, 8, 8)]\n[Conv2D(8, 3, BatchNorm = true, Act = Act.ReLU, UseBias = false)]\n[Dense(1)]\n" + Class);

    [Fact]
    public Task DSL207_TurnsTheWrittenUseBiasOff() => AssertFix(new UseBiasCodeFix(), "DSL207",
        Header + "[Model(8)]\n[Dense(100, UseBias = true)]\n[BatchNorm]\n[Activation(Act.ReLU)]\n[Dense(1)]\n" + Class,
        Header + "[Model(8)]\n[Dense(100, UseBias = false)]\n[BatchNorm]\n[Activation(Act.ReLU)]\n[Dense(1)]\n" + Class);

    [Fact]
    public Task DSL105_AddsStandardizeOnItsOwnLine() => AssertFix(new StandardizeCodeFix(), "DSL105",
        "using DslNet;\n\nnamespace Samples\n{\n    [Model(3, 32, 32)]\n    // the SELU stack\n    [Dense(100, Repeat = 20, Act = Act.SELU)]\n    [Dense(10, Act = Act.Softmax)]\n    public partial class Net\n    {\n    }\n}\n",
        "using DslNet;\n\nnamespace Samples\n{\n    [Model(3, 32, 32)]\n    // the SELU stack\n    [Standardize]\n    [Dense(100, Repeat = 20, Act = Act.SELU)]\n    [Dense(10, Act = Act.Softmax)]\n    public partial class Net\n    {\n    }\n}\n");

    [Fact]
    public Task DSL105_AddsStandardizeInTheSameList() => AssertFix(new StandardizeCodeFix(), "DSL105",
        Header + "[Model(8), Dense(30, Act = Act.SELU), Dense(1)]\n" + Class,
        Header + "[Model(8), Standardize, Dense(30, Act = Act.SELU), Dense(1)]\n" + Class);

    [Fact]
    public Task DSL105_AddsStandardizeOnTheSameLine() => AssertFix(new StandardizeCodeFix(), "DSL105",
        Header + "[Model(8)] [Dense(30, Act = Act.SELU)] [Dense(1)]\n" + Class,
        Header + "[Model(8)] [Standardize] [Dense(30, Act = Act.SELU)] [Dense(1)]\n" + Class);

    [Fact]
    public async Task DSL105_EditsThePartialDeclarationThatHoldsTheLayers()
    {
        var fixedSources = await CodeFixRunner.FixAsync(new StandardizeCodeFix(), "DSL105", fixAll: false,
            Header + "[Model(8)]\n" + Class,
            Header + "[DslNet.Dense(30, Act = Act.SELU)]\n[Dense(1)]\n" + Class);
        Assert.Equal(Header + "[Model(8)]\n" + Class, fixedSources[0]);
        Assert.Equal(Header + "[DslNet.Standardize]\n[DslNet.Dense(30, Act = Act.SELU)]\n[Dense(1)]\n" + Class, fixedSources[1]);
    }

    private const string Stem = "[Model(3, 8, 8)]\n[Conv2D(8, 3, Padding = Padding.Same, UseBias = false, BatchNorm = true, Act = Act.ReLU)]\n";
    private const string Head = "[GlobalAvgPool]\n[Dense(3, Act = Act.Softmax)]\n";

    [Fact]
    public Task DSL202_SetsTheInitializerOfTheBooksResidualUnit() => AssertFix(new InitializerCodeFix(), "DSL202",
        Header + Stem + "[Residual(8, Init = Init.Glorot)]\n" + Head + Class,
        Header + Stem + "[Residual(8, Init = Init.He)]\n" + Head + Class);

    [Fact]
    public async Task No_fix_rewrites_a_Residual_attribute_for_a_layer_of_its_block()
    {
        const string Glorot = "[Block]\n[Conv2D(8, 3, Padding = Padding.Same, Act = Act.ReLU, Init = Init.Glorot)]\npublic partial class GlorotBlock\n{\n}\n\n";
        const string Biased = "[Block]\n[Conv2D(8, 3, Padding = Padding.Same, BatchNorm = true, Act = Act.ReLU)]\npublic partial class BiasedBlock\n{\n}\n\n";
        const string Dropping = "[Block]\n[Conv2D(8, 3, Padding = Padding.Same, Act = Act.SELU, Init = Init.LeCun)]\n[Dropout(0.1)]\npublic partial class DropBlock\n{\n}\n\n";

        Assert.Equal(0, await CodeFixRunner.OfferedFixesAsync(new InitializerCodeFix(), "DSL202", Header + Glorot + Stem + "[Residual(typeof(GlorotBlock))]\n" + Head + Class));
        Assert.Equal(0, await CodeFixRunner.OfferedFixesAsync(new UseBiasCodeFix(), "DSL207", Header + Biased + Stem + "[Residual(typeof(BiasedBlock))]\n" + Head + Class));
        Assert.Equal(0, await CodeFixRunner.OfferedFixesAsync(new AlphaDropoutCodeFix(), "DSL103",
            Header + Dropping + "[Model(3, 8, 8)]\n[Standardize]\n[Conv2D(8, 3, Padding = Padding.Same, Act = Act.SELU, Init = Init.LeCun)]\n[Residual(typeof(DropBlock))]\n" + Head + Class));
    }

    private static async Task AssertFix(Microsoft.CodeAnalysis.CodeFixes.CodeFixProvider provider, string id, string before, string after, bool fixAll = false)
    {
        var fixedSources = await CodeFixRunner.FixAsync(provider, id, fixAll, before);
        Assert.Equal(after, fixedSources[0]);
    }
}

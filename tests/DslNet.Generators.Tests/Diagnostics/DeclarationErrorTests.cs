using Microsoft.CodeAnalysis;
using Xunit;
using static DslNet.Generators.Tests.Diagnostics.DiagnosticAssert;

namespace DslNet.Generators.Tests.Diagnostics;

/// <summary>DSL001–DSL005: what cannot be built, found by the parser, located by the analyzer.</summary>
public sealed class DeclarationErrorTests
{
    private const string Layers = "[Model(4)]\n[Dense(1)]";

    [Fact]
    public Task DSL001_NotPartial() => VerifyAsync(ModelSource(Layers, "public class {|DSL001:Net|}"));

    [Fact]
    public Task DSL001_Generic() => VerifyAsync(ModelSource(Layers, "public partial class {|DSL001:Net|}<T>"));

    [Fact]
    public Task DSL001_NestedInNonPartial() => VerifyAsync(
        "using DslNet;\npublic class Outer\n{\n    [Model(4)]\n    [Dense(1)]\n    public partial class {|DSL001:Net|} { }\n}\n");

    [Fact]
    public Task DSL001_Record() => VerifyAsync(ModelSource(Layers, "public partial record {|DSL001:Net|}"));

    [Fact]
    public Task DSL001_Struct() => VerifyAsync(ModelSource(Layers, "public partial struct {|DSL001:Net|}"), compilerErrors: true);

    [Fact]
    public Task DSL001_NotWhenNestedInPartial() => VerifyAsync(
        "using DslNet;\npublic partial class Outer\n{\n    [Model(4)]\n    [Dense(1)]\n    public partial class Net { }\n}\n");

    [Fact]
    public async Task DSL001_Message()
    {
        var diagnostics = await VerifyAsync(ModelSource(Layers, "public class {|DSL001:Net|}"));
        Assert.Equal(
            "Model class 'Net' is not partial; DslNet generates the rest of this class, so declare it as a non-generic 'partial class' whose containing types are partial too",
            diagnostics.Single("DSL001").GetMessage());
    }

    [Fact]
    public Task DSL002_Units() => VerifyAsync(ModelSource("[Model(4)]\n[Dense({|DSL002:0|})]"));

    [Fact]
    public Task DSL002_InputShapeSpansTheDimensions() => VerifyAsync(ModelSource("[Model({|DSL002:3, 0, 32|})]\n[Dense(1)]"));

    [Fact]
    public Task DSL002_DropoutRate() => VerifyAsync(ModelSource("[Model(4)]\n[Dropout({|DSL002:1.0|})]\n[Dense(1)]"));

    [Fact]
    public Task DSL002_NamedArgument() => VerifyAsync(ModelSource("[Model(4)]\n[Dense(1)]\n[Nadam({|DSL002:LearningRate = 0|})]"));

    [Fact]
    public Task DSL002_ArgumentNamedWithColon() => VerifyAsync(ModelSource("[Model(4)]\n[Dense({|DSL002:units: -1|})]"));

    [Fact]
    public Task DSL002_NegativeSeed() => VerifyAsync(ModelSource("[Model(4, {|DSL002:Seed = -1|})]\n[Dense(1)]"));

    [Fact]
    public Task DSL002_NotInRange() => VerifyAsync(ModelSource("[Model(3, 1, 32)]\n[Dropout(0.0)]\n[Dense(1)]\n[Nadam(LearningRate = 1e-3)]"));

    [Fact]
    public async Task DSL002_Message()
    {
        var diagnostics = await VerifyAsync(ModelSource("[Model(4)]\n[Dense({|DSL002:0|})]"));
        Assert.Equal("Dense.units is 0, but it must be at least 1", diagnostics.Single("DSL002").GetMessage());
        Assert.Equal(DiagnosticSeverity.Error, diagnostics.Single("DSL002").Severity);
    }

    [Fact]
    public Task DSL003_NoLayers() => VerifyAsync(ModelSource("[Model(4)]\n[Nadam]", "public partial class {|DSL003:Net|}"));

    [Fact]
    public Task DSL003_LayersSplitOverPartialDeclarations() => VerifyAsync(
        ModelSource("[Model(4)]\n[Dense(8)]") + "\n[{|DSL003:Dense(1)|}]\npublic partial class Net\n{\n}\n");

    [Fact]
    public Task DSL003_NotWhenOtherPartHasTrainingAttributesOnly() => VerifyAsync(
        ModelSource("[Model(4)]\n[Dense(8)]\n[Dense(1)]") + "\n[Nadam]\npublic partial class Net\n{\n}\n");

    [Fact]
    public Task DSL004_TwoOptimizers() => VerifyAsync(ModelSource("[Model(4)]\n[Dense(1)]\n[Nadam]\n[{|DSL004:Sgd(LearningRate = 0.1)|}]"));

    [Fact]
    public Task DSL004_TwoSchedules() => VerifyAsync(ModelSource("[Model(4)]\n[Dense(1)]\n[OneCycle(MaxRate = 0.05)]\n[{|DSL004:ExponentialDecay|}]"));

    [Fact]
    public Task DSL004_NotForOneOptimizerAndOneSchedule() => VerifyAsync(ModelSource("[Model(4)]\n[Dense(1)]\n[Sgd]\n[OneCycle(MaxRate = 0.05)]"));

    [Fact]
    public Task DSL005_StandardizeNotFirst() => VerifyAsync(ModelSource("[Model(4)]\n[Dense(10)]\n[{|DSL005:Standardize|}]\n[Dense(1)]"));

    [Fact]
    public Task DSL005_NotWhenStandardizeFirst() => VerifyAsync(ModelSource("[Model(4)]\n[Standardize]\n[Dense(10)]\n[Dense(1)]"));

    [Fact]
    public async Task DSL002_MomentumAt1()
    {
        var diagnostics = await VerifyAsync(ModelSource("[Model(4)]\n[Dense(1)]\n[Sgd(LearningRate = 0.01, {|DSL002:Momentum = 1.0|})]"));
        Assert.Equal(DiagnosticSeverity.Error, diagnostics.Single("DSL002").Severity);
        Assert.Equal("Sgd.Momentum is 1, but it must be in [0, 1) (at 1 or more the velocity never decays and training diverges: use 0.9)",
            diagnostics.Single("DSL002").GetMessage());
    }
}

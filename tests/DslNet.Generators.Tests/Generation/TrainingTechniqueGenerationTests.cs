using DslNet.Generators.Tests.Infrastructure;
using Xunit;
using static DslNet.Generators.Tests.Diagnostics.DiagnosticAssert;

namespace DslNet.Generators.Tests.Generation;

/// <summary>The declared techniques of fast image classifiers as the generator reads and writes them: label smoothing, Dirac init.</summary>
public class TrainingTechniqueGenerationTests
{
    private const string Smoothed = "using DslNet;\nnamespace Fast;\n[Model(4)]\n[Dense(3, Act = Act.Softmax)]\n[Loss(LabelSmoothing = 0.2)]\npublic partial class Net;\n";

    [Fact]
    public void Label_smoothing_is_written_into_the_declaration_and_the_description()
    {
        var output = GeneratorHarness.Run(Smoothed);

        Assert.Empty(output.Exceptions);
        Assert.Empty(output.Errors);
        Assert.Empty(output.Warnings);
        var code = output.Sources["Fast.Net.g.cs"];
        Assert.Contains("{ OutputUnits = 3, LabelSmoothing = 0.2 };", code);
        Assert.Contains("minimizing sparse categorical cross-entropy with label smoothing 0.2", code);
    }

    [Fact]
    public void Without_label_smoothing_the_declaration_is_unchanged()
    {
        var output = GeneratorHarness.Run(Smoothed.Replace("[Loss(LabelSmoothing = 0.2)]\n", string.Empty, StringComparison.Ordinal));

        Assert.Contains("{ OutputUnits = 3 };", output.Sources["Fast.Net.g.cs"]);
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("-0.1")]
    [InlineData("double.NaN")]
    public Task Label_smoothing_outside_0_1_is_DSL002(string value) =>
        VerifyAsync(ModelSource($"[Model(4)]\n[Dense(3, Act = Act.Softmax)]\n[Loss({{|DSL002:LabelSmoothing = {value}|}})]"));

    [Fact]
    public Task Label_smoothing_at_the_bounds_is_accepted() =>
        VerifyAsync(ModelSource("[Model(4)]\n[Dense(1, Act = Act.Sigmoid)]\n[Loss(LossKind.BinaryCrossEntropy, LabelSmoothing = 1)]"));

    [Fact]
    public async Task Label_smoothing_of_a_regression_loss_is_DSL002()
    {
        var diagnostics = await VerifyAsync(ModelSource("[Model(4)]\n[Dense(1)]\n[Loss({|DSL002:LabelSmoothing = 0.1|})]"));

        Assert.Equal(
            "Loss.LabelSmoothing is 0.1, but it must be 0 with the loss inferred from the output layer, MeanSquaredError: Keras smooths only cross-entropy targets (a classifier's Softmax or Sigmoid output)",
            diagnostics.Single("DSL002").GetMessage());
    }

    [Fact]
    public Task Label_smoothing_of_a_declared_regression_loss_is_DSL002() =>
        VerifyAsync(ModelSource("[Model(4)]\n[Dense(1)]\n[Loss(LossKind.Huber, {|DSL002:LabelSmoothing = 0.1|})]"));

    [Fact]
    public void UseEma_is_written_into_the_declared_optimizer_only_when_declared()
    {
        var declared = GeneratorHarness.Run(Smoothed.Replace("[Loss(LabelSmoothing = 0.2)]", "[Adam(UseEma = true, EmaMomentum = 0.95)]", StringComparison.Ordinal));
        var plain = GeneratorHarness.Run(Smoothed.Replace("[Loss(LabelSmoothing = 0.2)]", "[Adam]", StringComparison.Ordinal));

        Assert.Empty(declared.Errors);
        Assert.Contains("Epsilon = 1e-07, UseEma = true, EmaMomentum = 0.95 },", declared.Sources["Fast.Net.g.cs"]);
        Assert.DoesNotContain("UseEma", plain.Sources["Fast.Net.g.cs"]);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("-0.5")]
    public Task EmaMomentum_outside_0_1_is_DSL002(string value) =>
        VerifyAsync(ModelSource($"[Model(4)]\n[Dense(1)]\n[Sgd(UseEma = true, {{|DSL002:EmaMomentum = {value}|}})]"));

    [Fact]
    public void Dirac_init_is_passed_to_the_layers_and_draws_no_initializer_warning()
    {
        var output = GeneratorHarness.Run(
            "using DslNet;\nnamespace Fast;\n[Model(3, 8, 8)]\n[Conv2D(16, 3, Padding = Padding.Same, Act = Act.ReLU, Init = Init.Dirac)]\n[Flatten]\n[Dense(10, Act = Act.ReLU, Init = Init.Dirac)]\n[Dense(10, Act = Act.Softmax)]\npublic partial class Net;\n");

        Assert.Empty(output.Exceptions);
        Assert.Empty(output.Errors);
        Assert.Empty(output.Warnings);
        var code = output.Sources["Fast.Net.g.cs"];
        Assert.Contains("Conv2D(3, 16, 3, global::DslNet.Init.Dirac", code);
        Assert.Contains("Dense(1024, 10, global::DslNet.Init.Dirac)", code);
    }
}

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

    private const string Augmented = "using DslNet;\nnamespace Fast;\n[Model(3, 8, 8)]\n[Conv2D(4, 3, Act = Act.ReLU)]\n[GlobalAvgPool]\n[Dense(3, Act = Act.Softmax)]\n[TestTimeAugmentation(Translate = 2)]\npublic partial class Net;\n";

    [Fact]
    public void Test_time_augmentation_is_written_into_the_declaration_and_the_description_only_when_declared()
    {
        var declared = GeneratorHarness.Run(Augmented);
        var plain = GeneratorHarness.Run(Augmented.Replace("[TestTimeAugmentation(Translate = 2)]\n", string.Empty, StringComparison.Ordinal));

        Assert.Empty(declared.Exceptions);
        Assert.Empty(declared.Errors);
        Assert.Empty(declared.Warnings);
        var code = declared.Sources["Fast.Net.g.cs"];
        Assert.Contains("{ OutputUnits = 3, TestTimeAugmentation = new global::DslNet.TestTimeAugmentationAttribute { Flip = true, Translate = 2 } };", code);
        Assert.Contains("; predicting with test-time augmentation (mirror, shifts of ±2 pixels).", code);
        Assert.Contains("{ OutputUnits = 3 };", plain.Sources["Fast.Net.g.cs"]);
        Assert.DoesNotContain("TestTimeAugmentation", plain.Sources["Fast.Net.g.cs"]);

        // Runtime averaging only: the ONNX graph and the PyTorch twin are the plain network's.
        Assert.Equal(Member(plain.Sources["Fast.Net.g.cs"], "BuildOnnx"), Member(code, "BuildOnnx"));
        Assert.Equal(Member(plain.Sources["Fast.Net.g.cs"], "PyTorchModel"), Member(code, "PyTorchModel"));
    }

    [Fact]
    public Task Negative_test_time_translation_is_DSL002() =>
        VerifyAsync(ModelSource("[Model(3, 8, 8)]\n[Flatten]\n[Dense(3, Act = Act.Softmax)]\n[TestTimeAugmentation({|DSL002:Translate = -1|})]"));

    [Fact]
    public async Task Test_time_augmentation_without_flip_or_shift_is_DSL002()
    {
        var diagnostics = await VerifyAsync(ModelSource("[Model(3, 8, 8)]\n[Flatten]\n[Dense(3, Act = Act.Softmax)]\n[TestTimeAugmentation({|DSL002:Flip = false|})]"));

        Assert.Equal(
            "TestTimeAugmentation.Flip is false, but it must be true when Translate is 0: with neither a flip nor a shift there is no copy to average",
            diagnostics.Single("DSL002").GetMessage());
    }

    [Fact]
    public void Test_time_shift_alone_is_accepted_and_written()
    {
        var output = GeneratorHarness.Run(Augmented.Replace("(Translate = 2)", "(Flip = false, Translate = 1)", StringComparison.Ordinal));

        Assert.Empty(output.Errors);
        var code = output.Sources["Fast.Net.g.cs"];
        Assert.Contains("TestTimeAugmentation = new global::DslNet.TestTimeAugmentationAttribute { Flip = false, Translate = 1 } };", code);
        Assert.Contains("; predicting with test-time augmentation (shifts of ±1 pixel).", code);
    }

    [Fact]
    public async Task Test_time_augmentation_of_a_flat_input_is_DSL006()
    {
        var diagnostics = await VerifyAsync(ModelSource("[Model(784)]\n[Dense(10, Act = Act.Softmax)]\n[{|DSL006:TestTimeAugmentation|}]"));

        Assert.Equal(
            "[TestTimeAugmentation] receives (784), but it averages over flipped and shifted copies of an image, and needs a [Model(C, H, W)] input",
            diagnostics.Single("DSL006").GetMessage());
    }

    [Fact]
    public Task Test_time_shift_as_large_as_the_image_is_DSL006() =>
        VerifyAsync(ModelSource("[Model(3, 8, 4)]\n[Flatten]\n[Dense(3, Act = Act.Softmax)]\n[TestTimeAugmentation({|DSL006:Translate = 4|})]"));

    /// <summary>The text of the generated member <paramref name="name"/>, from its signature to the next blank line.</summary>
    private static string Member(string code, string name)
    {
        var start = code.IndexOf(" " + name + "(", StringComparison.Ordinal);
        start = start >= 0 ? start : code.IndexOf(" " + name + " =>", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no member {name}");
        var end = code.IndexOf("\n\n", start, StringComparison.Ordinal);
        return code.Substring(start, (end < 0 ? code.Length : end) - start);
    }
}

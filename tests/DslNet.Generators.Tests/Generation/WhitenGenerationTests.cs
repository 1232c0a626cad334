using System.Text.RegularExpressions;
using DslNet.Generators.Tests.Infrastructure;
using Xunit;
using static DslNet.Generators.Tests.Diagnostics.DiagnosticAssert;

namespace DslNet.Generators.Tests.Generation;

/// <summary>[Whiten] as the generator reads, checks and writes it: shapes and parameter counts, Adapt, ONNX, the twin, DSL002/005/006.</summary>
public class WhitenGenerationTests
{
    private const string Head = "[GlobalAvgPool]\n[Dense(10, Act = Act.Softmax)]";

    [Fact]
    public void Summary_counts_the_whitening_filters_as_non_trainable_and_the_bias_as_trainable()
    {
        var output = GeneratorHarness.Run(ExerciseModels.WhitenNet);

        Assert.Empty(output.Exceptions);
        Assert.Empty(output.Errors);
        Assert.Empty(output.Warnings);
        var code = output.Sources["Exercise.WhitenNet.g.cs"];
        var rows = Regex.Matches(code, @"^\s*"" (\w+) \(([^)]*)\)\s+\(None, ([\d, ]+)\)\s+([\d,]+)\\n""", RegexOptions.Multiline)
            .Select(match => $"{match.Groups[1].Value} ({match.Groups[2].Value}) ({match.Groups[3].Value}) {match.Groups[4].Value}")
            .ToList();

        // whiten: 2·3·2² = 24 filters of 3·2·2 = 12 weights: 288 frozen, 24 biases; 31 × 31 without padding.
        // conv1: 64·24·9 = 13,824, no bias; its norm without scale: 64 trainable + 128 moving. Dense 64·10 + 10 = 650.
        Assert.Equal(
            new[]
            {
                "standardize (Standardize) (3, 32, 32) 6,144",
                "randomFlip (RandomFlip) (3, 32, 32) 0",
                "whiten (Whiten, gelu) (24, 31, 31) 312",
                "conv1 (Conv2D) (64, 31, 31) 13,824",
                "conv1Norm (BatchNorm, gelu) (64, 31, 31) 192",
                "maxPool1 (MaxPool) (64, 15, 15) 0",
                "globalAvgPool (GlobalAvgPool) (64) 0",
                "output (Dense, softmax) (10) 650",
            },
            rows);
        Assert.Contains("\"Trainable params: 14,562\\n\"", code);
        Assert.Contains("\"Non-trainable params: 6,560\\n\"", code); // 6,144 + 288 + 128
        Assert.Contains("public const long ParameterCount = 14562;", code);
    }

    [Fact]
    public void The_whitening_is_built_adapted_after_standardization_through_the_layers_before_it_exported_and_twinned()
    {
        var code = GeneratorHarness.Run(ExerciseModels.WhitenNet).Sources["Exercise.WhitenNet.g.cs"];

        Assert.Contains("whiten = new global::DslNet.Layers.Whitening(3, 2, 0.0005);", code);
        Assert.Matches(@"standardize\.Adapt\(train\.Features\);\r?\n\s+AdaptWhitening\(whiten, train, x => randomFlip\.call\(standardize\.call\(x\)\)\);", code);
        Assert.Contains("x = global::TorchSharp.torch.nn.functional.gelu(whiten.call(x));", code);
        Assert.Contains(".Conv2D(whiten.Weight, whiten.Bias, 1, 1, 0, 0, 0, 0).Gelu()", code);
        Assert.Contains("self.whiten = Whitening(3, 2)", code);
    }

    [Fact]
    public void A_first_whitening_without_bias_adapts_on_the_raw_inputs()
    {
        var output = GeneratorHarness.Run(ModelSource("[Model(3, 8, 8)]\n[Whiten(Kernel = 3, Epsilon = 1e-3, UseBias = false)]\n" + Head));

        Assert.Empty(output.Errors);
        var code = output.Sources["Samples.Net.g.cs"];
        Assert.Contains("whiten = new global::DslNet.Layers.Whitening(3, 3, 0.001, useBias: false);", code);
        Assert.Contains("AdaptWhitening(whiten, train, null);", code);
        Assert.Contains("self.whiten = Whitening(3, 3, bias=False)", code);
        // 54 filters of 27 weights, no bias: nothing of it trains.
        Assert.Matches(@"whiten \(Whiten\)\s+\(None, 54, 6, 6\)\s+1,458\\n", code);
    }

    [Theory]
    [InlineData("Kernel = 0")]
    [InlineData("Epsilon = 0")]
    [InlineData("Epsilon = double.PositiveInfinity")]
    public Task Arguments_out_of_range_are_DSL002(string argument) =>
        VerifyAsync(ModelSource($"[Model(3, 8, 8)]\n[Whiten({{|DSL002:{argument}|}})]\n" + Head));

    [Fact]
    public async Task A_flat_input_is_DSL006()
    {
        var diagnostics = await VerifyAsync(ModelSource("[Model(12)]\n[{|DSL006:Whiten|}]\n[Dense(10, Act = Act.Softmax)]"));

        Assert.StartsWith("layer 1 (Whiten 2×2) receives (12), but it needs a feature map (C, H, W)", diagnostics.Single("DSL006").GetMessage());
    }

    [Fact]
    public async Task A_map_smaller_than_the_patches_is_DSL006()
    {
        var diagnostics = await VerifyAsync(ModelSource("[Model(3, 2, 8)]\n[{|DSL006:Whiten(Kernel = 3)|}]\n" + Head));

        Assert.Equal(
            "layer 1 (Whiten 3×3) receives (3, 2, 8), but its 3×3 patches need a map of at least 3×3 (it does not pad); use a smaller Kernel",
            diagnostics.Single("DSL006").GetMessage());
    }

    [Fact]
    public async Task A_whitening_after_a_layer_that_trains_is_DSL005()
    {
        var diagnostics = await VerifyAsync(ModelSource("[Model(3, 8, 8)]\n[Conv2D(8, 3, Act = Act.ReLU)]\n[{|DSL005:Whiten|}]\n" + Head));

        Assert.StartsWith(
            "[Whiten] computes its frozen weights once, from the training images as they reach it, but layer 1 (Conv2D 8, 3×3) before it trains",
            diagnostics.Single("DSL005").GetMessage());
    }

    [Fact]
    public Task A_whitening_after_frozen_layers_standardization_and_augmentation_is_accepted() =>
        VerifyAsync(ModelSource(
            "[Model(3, 16, 16)]\n[Standardize]\n[RandomCrop(2)]\n[Resize(12, 12)]\n[Conv2D(8, 3, Act = Act.ReLU, Trainable = false)]\n[Whiten(UseBias = false)]\n[Whiten]\n" + Head));

    [Fact]
    public Task A_whitening_inside_a_block_is_DSL005() =>
        VerifyAsync(
            "using DslNet;\n\nnamespace Samples;\n\n[Block]\n[Whiten]\n[Conv2D(3, 1)]\npublic partial class Stem;\n\n" +
            "[Model(3, 8, 8)]\n[{|DSL005:Residual(typeof(Stem))|}]\n" + Head + "\npublic partial class Net;\n");
}

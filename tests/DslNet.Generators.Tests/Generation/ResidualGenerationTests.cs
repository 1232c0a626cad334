using System.Text.RegularExpressions;
using ApprovalTests;
using ApprovalTests.Namers;
using ApprovalTests.Reporters;
using DslNet.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace DslNet.Generators.Tests.Generation;

/// <summary>[Residual]: Keras' parameter counts of the book's ResNet-34 and of a ResNet-18-style body, the Summary's rows, the generated code.</summary>
[UseReporter(typeof(QuietReporter))]
[UseApprovalSubdirectory("Approved")]
public class ResidualGenerationTests
{
    [Fact]
    public void The_books_ResNet34_has_Keras_parameter_counts_and_builds_without_warnings()
    {
        var output = GeneratorHarness.Run(ResidualModels.ResNet34);

        Assert.Empty(output.Exceptions);
        Assert.Empty(output.Errors);
        Assert.Empty(output.Warnings);
        var code = output.Sources["Book.ResNet34.g.cs"];
        Assert.Contains("public const long ParameterCount = 21289802;", code);
        Assert.Contains("\"Total params: 21,306,826\\n\"", code);
        Assert.Contains("\"Trainable params: 21,289,802\\n\"", code);
        Assert.Contains("\"Non-trainable params: 17,024\\n\"", code);
        Assert.True(AttributeLines(ResidualModels.ResNet34) <= 12);
    }

    [Fact]
    public void A_ResNet_body_with_stages_2_2_2_3_has_15_897_152_trainable_parameters()
    {
        var output = GeneratorHarness.Run(ResidualModels.FeaturizerBody);

        Assert.Empty(output.Exceptions);
        Assert.Empty(output.Errors);
        Assert.Empty(output.Warnings);
        var code = output.Sources["Pretrained.FeaturizerBody.g.cs"];
        Assert.Contains("\"Trainable params: 15,897,152\\n\"", code);
        Assert.Contains("\"Non-trainable params: 11,648\\n\"", code);
    }

    [Fact]
    public void The_summary_shows_each_units_rows_and_its_add()
    {
        var output = GeneratorHarness.Run(ResidualModels.ResNet34);

        var code = output.Sources["Book.ResNet34.g.cs"];
        var rows = Regex.Matches(code, @"^\s*"" ([\w.]+) \(([^)]*)\)\s+\(None, ([\d, ]+)\)\s+([\d,]+)\\n""", RegexOptions.Multiline)
            .Select(match => $"{match.Groups[1].Value} ({match.Groups[2].Value}) ({match.Groups[3].Value}) {match.Groups[4].Value}")
            .ToList();
        Assert.Equal(
            new[]
            {
                // An identity unit: 64·64·9 = 36,864 per conv, 4·64 per batch norm (γ, β trainable; mean, variance not).
                "residual3.conv1 (Conv2D) (64, 56, 56) 36,864",
                "residual3.conv1Norm (BatchNorm, relu) (64, 56, 56) 256",
                "residual3.conv2 (Conv2D) (64, 56, 56) 36,864",
                "residual3.conv2Norm (BatchNorm) (64, 56, 56) 256",
                "residual3.add (Add, relu) (64, 56, 56) 0",
                // The first unit of a stage strides and projects: 128·64·9, 128·128·9 and the 1×1 shortcut 128·64.
                "residual4.conv1 (Conv2D) (128, 28, 28) 73,728",
                "residual4.conv1Norm (BatchNorm, relu) (128, 28, 28) 512",
                "residual4.conv2 (Conv2D) (128, 28, 28) 147,456",
                "residual4.conv2Norm (BatchNorm) (128, 28, 28) 512",
                "residual4.projection (Conv2D) (128, 28, 28) 8,192",
                "residual4.projectionNorm (BatchNorm) (128, 28, 28) 512",
                "residual4.add (Add, relu) (128, 28, 28) 0",
            },
            rows.SkipWhile(row => !row.StartsWith("residual3.", StringComparison.Ordinal)).Take(12));
        Assert.Equal("output (Dense, softmax) (10) 5,130", rows[^1]);
    }

    [Fact]
    public void Generated_code_of_the_books_ResNet34_matches_the_approved_snapshot()
    {
        var output = GeneratorHarness.Run(ResidualModels.ResNet34);

        Assert.Empty(output.Exceptions);
        Approvals.Verify(Regex.Replace(output.Sources["Book.ResNet34.g.cs"], @"GeneratedCode\(""DslNet"", ""[^""]*""\)", @"GeneratedCode(""DslNet"", ""{version}"")"));
    }

    [Fact]
    public void Generated_code_of_a_model_using_custom_blocks_matches_the_approved_snapshot()
    {
        var output = GeneratorHarness.Run(BlockModels.Blocks, BlockModels.BlockNet);

        Assert.Empty(output.Exceptions);
        Assert.Empty(output.Errors);
        Assert.Empty(output.Warnings);
        var code = output.Sources["Blocks.BlockNet.g.cs"];
        // PageBlock: 2 × (64·64·9 + 4·64); DownBlock: 128·64·9 + 128·128·9 + 2·(4·128), projection 128·64 + 4·128.
        Assert.Contains("\"Total params: " + (1_728 + 256 + (2 * (36_864 + 256)) + 73_728 + 147_456 + 1_024 + 8_192 + 512 + 1_290).ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + "\\n\"", code);
        Approvals.Verify(Regex.Replace(code, @"GeneratedCode\(""DslNet"", ""[^""]*""\)", @"GeneratedCode(""DslNet"", ""{version}"")"));
    }

    [Fact]
    public async Task A_block_from_a_referenced_assembly_is_read_from_its_metadata()
    {
        var library = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create(
            "Blocks", [Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(BlockModels.Blocks, GeneratorHarness.ParseOptions)], CompilationFactory.References, CompilationFactory.Options);
        using var image = new MemoryStream();
        Assert.True(library.Emit(image).Success);
        var reference = Microsoft.CodeAnalysis.MetadataReference.CreateFromImage(image.ToArray());
        var model = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create(
            "App", [Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(BlockModels.BlockNet, GeneratorHarness.ParseOptions)], [.. CompilationFactory.References, reference], CompilationFactory.Options);

        var output = GeneratorHarness.Run(model);

        Assert.Empty(output.Exceptions);
        Assert.Empty(output.Errors);
        Assert.Contains("residual2 = new DownBlockProjectionUnit(", output.Sources["Blocks.BlockNet.g.cs"]);
        await Task.CompletedTask;
    }

    private static int AttributeLines(string source) => source.Split('\n').Count(line => line.TrimStart().StartsWith('['));
}

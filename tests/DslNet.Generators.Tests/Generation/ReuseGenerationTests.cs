using ApprovalTests;
using ApprovalTests.Namers;
using ApprovalTests.Reporters;
using DslNet.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace DslNet.Generators.Tests.Generation;

/// <summary>[Reuse]: the generated members, the source read from another file or another assembly, and caching across models.</summary>
[UseReporter(typeof(QuietReporter))]
[UseApprovalSubdirectory("Approved")]
public class ReuseGenerationTests
{
    /// <summary>The book's model A: Flatten, 3 × Dense(100, ReLU, He), a softmax over 8 classes.</summary>
    private const string ModelA = """
        using DslNet;

        namespace Pretrained;

        [Model(3, 32, 32)]
        [Standardize]
        [Dense(100, Repeat = 3, Act = Act.ReLU, Init = Init.He)]
        [Dense(8, Act = Act.Softmax)]
        public partial class ModelA;
        """;

    /// <summary>Model B on A: A's layers but its output, a new sigmoid output, and a frozen-by-declaration layer between.</summary>
    private const string ModelB = """
        using DslNet;

        namespace Transfer;

        [Model(3, 32, 32, Seed = 7)]
        [Reuse(typeof(Pretrained.ModelA))]
        [Dense(20, Act = Act.ReLU, BatchNorm = true, UseBias = false, Trainable = false)]
        [Dense(1, Act = Act.Sigmoid)]
        [Sgd(LearningRate = 1e-3)]
        public partial class ModelBOnA;
        """;

    [Fact]
    public void Generated_code_of_a_reusing_model_matches_the_approved_snapshot()
    {
        var output = GeneratorHarness.Run(ModelA, ModelB);

        Assert.Empty(output.Exceptions);
        Assert.Empty(output.Errors);
        Assert.Empty(output.Warnings);
        Approvals.Verify(output.Sources["Transfer.ModelBOnA.g.cs"]);
    }

    [Fact]
    public void FromPretrained_of_a_conv_source_copies_only_the_layers_with_weights()
    {
        const string ConvSource = """
            using DslNet;

            namespace Pretrained;

            [Model(3, 16, 16)]
            [RandomFlip]
            [RandomCrop(2)]
            [Conv2D(8, 3, Padding = Padding.Same, Act = Act.ReLU, BatchNorm = true)]
            [MaxPool(2)]
            [Conv2D(16, 3, Act = Act.ReLU)]
            [AvgPool(2)]
            [Dropout(0.25)]
            [Flatten]
            [Dense(10, Act = Act.Softmax)]
            public partial class ConvA;
            """;
        const string ConvTarget = """
            using DslNet;

            namespace Transfer;

            [Model(3, 16, 16)]
            [Reuse(typeof(Pretrained.ConvA))]
            [Dense(1, Act = Act.Sigmoid)]
            public partial class ConvBOnA;
            """;

        var output = GeneratorHarness.Run(ConvSource, ConvTarget);

        Assert.Empty(output.Exceptions);
        Assert.Empty(output.Errors);
        var copy = output.Sources["Transfer.ConvBOnA.g.cs"].Split("Pretrained.CopyLayers(")[1].Split("return model;")[0];
        Assert.Contains("(\"conv1\", \"conv1\"),", copy);
        Assert.Contains("(\"conv1Norm\", \"conv1Norm\"),", copy);
        Assert.Contains("(\"conv2\", \"conv2\"));", copy);
        foreach (var weightless in new[] { "randomFlip", "randomCrop", "maxPool", "avgPool", "dropout", "flatten" })
        {
            Assert.DoesNotContain(weightless, copy, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task A_source_model_in_a_referenced_assembly_is_read_from_its_metadata()
    {
        var library = CSharpCompilation.Create("Pretrained", [CSharpSyntaxTree.ParseText(ModelA, GeneratorHarness.ParseOptions, path: "ModelA.cs")], CompilationFactory.References, CompilationFactory.Options);
        GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(library, out var generated, out _);
        using var image = new MemoryStream();
        var emitted = generated.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));

        var compilation = GeneratorHarness.Compile(ModelB).AddReferences(MetadataReference.CreateFromImage(image.ToArray()));
        GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);

        Assert.Empty(generatorDiagnostics);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString()));
        Assert.Empty(await AnalyzerRunner.AnalyzeAsync(compilation));
        var code = output.SyntaxTrees.Single(tree => tree.FilePath.EndsWith("Transfer.ModelBOnA.g.cs", StringComparison.Ordinal)).ToString();
        Assert.Contains("public static ModelBOnA FromPretrained(global::Pretrained.ModelA source", code);
        Assert.Contains("(\"hidden3\", \"hidden3\")", code);
        Assert.Contains("\"Trainable params: 21\\n\"", code); // the new output's 20 + 1; hidden4 and its batch norm are frozen too
    }

    [Fact]
    public void Editing_the_source_model_regenerates_the_reusing_model()
    {
        var compilation = GeneratorHarness.Compile(ModelA, ModelB);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var source = compilation.SyntaxTrees.First();

        var edited = compilation.ReplaceSyntaxTree(source, CSharpSyntaxTree.ParseText(ModelA.Replace("Repeat = 3", "Repeat = 2"), GeneratorHarness.ParseOptions, path: source.FilePath));
        driver = driver.RunGenerators(edited);

        var result = driver.GetRunResult();
        var models = result.Results.Single().TrackedSteps[TrackingNames.Models].SelectMany(step => step.Outputs).ToList();
        Assert.Equal(2, models.Count(output => output.Reason == IncrementalStepRunReason.Modified));
        var reusing = result.Results.Single().GeneratedSources.Single(s => s.HintName == "Transfer.ModelBOnA.g.cs").SourceText.ToString();
        Assert.DoesNotContain("hidden3", reusing.Split("public static ModelBOnA FromPretrained")[1].Split("return model;")[0]);
    }

    [Fact]
    public void An_unrelated_edit_leaves_the_source_and_the_reusing_model_cached()
    {
        var unrelated = CSharpSyntaxTree.ParseText("namespace Other; public class Helper { public int Value => 1; }", GeneratorHarness.ParseOptions, path: "Helper.cs");
        var compilation = GeneratorHarness.Compile(ModelA, ModelB).AddSyntaxTrees(unrelated);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        var edited = compilation.ReplaceSyntaxTree(
            unrelated,
            CSharpSyntaxTree.ParseText("namespace Other; public class Helper { public int Value => 2; }", GeneratorHarness.ParseOptions, path: "Helper.cs"));
        driver = driver.RunGenerators(edited);

        var models = driver.GetRunResult().Results.Single().TrackedSteps[TrackingNames.Models].SelectMany(step => step.Outputs).ToList();
        Assert.Equal(2, models.Count);
        Assert.All(models, output => Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"a model step was {output.Reason}"));
    }
}

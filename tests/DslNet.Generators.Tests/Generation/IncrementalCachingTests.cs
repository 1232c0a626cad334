using System.Collections;
using System.Reflection;
using DslNet.Generators.Model;
using DslNet.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace DslNet.Generators.Tests.Generation;

/// <summary>The generator must not redo work users did not ask for: its model is plain data, compared by value.</summary>
public class IncrementalCachingTests
{
    private static readonly string[] ModelSteps = { TrackingNames.Parse, TrackingNames.Models };

    [Fact]
    public void Running_again_on_the_same_compilation_caches_every_step()
    {
        var compilation = GeneratorHarness.Compile(ExerciseModels.SwishNet, ExerciseModels.SeluDropoutNet);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        driver = driver.RunGenerators(compilation.Clone());

        AssertModelStepsReused(driver);
    }

    [Fact]
    public void An_edit_in_an_unrelated_file_leaves_the_model_steps_cached_or_unchanged()
    {
        var unrelated = CSharpSyntaxTree.ParseText("namespace Other; public class Helper { public int Value => 1; }", GeneratorHarness.ParseOptions, path: "Helper.cs");
        var compilation = GeneratorHarness.Compile(ExerciseModels.SwishNet).AddSyntaxTrees(unrelated);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        var edited = compilation.ReplaceSyntaxTree(
            unrelated,
            CSharpSyntaxTree.ParseText("namespace Other; public class Helper { public int Value => 2; public int More => 3; }", GeneratorHarness.ParseOptions, path: "Helper.cs"));
        driver = driver.RunGenerators(edited);

        AssertModelStepsReused(driver);
    }

    [Fact]
    public void An_edit_that_changes_nothing_the_model_says_gives_an_unchanged_model()
    {
        var compilation = GeneratorHarness.Compile(ExerciseModels.SwishNet);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var tree = compilation.SyntaxTrees.Single();

        // A comment in the model's own file: the syntax changes, the model does not.
        var edited = compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(tree.GetText().Replace(0, 0, "// a comment\n")));
        driver = driver.RunGenerators(edited);

        var models = driver.GetRunResult().Results.Single().TrackedSteps[TrackingNames.Models];
        Assert.All(models.SelectMany(step => step.Outputs), output => Assert.Contains(output.Reason, new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged }));
    }

    [Fact]
    public void A_real_change_to_the_declaration_re_emits()
    {
        var compilation = GeneratorHarness.Compile(ExerciseModels.SwishNet);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var tree = compilation.SyntaxTrees.Single();

        var edited = compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(ExerciseModels.SwishNet.Replace("Repeat = 20", "Repeat = 10"), GeneratorHarness.ParseOptions, path: tree.FilePath));
        driver = driver.RunGenerators(edited);

        var models = driver.GetRunResult().Results.Single().TrackedSteps[TrackingNames.Models];
        Assert.Contains(models.SelectMany(step => step.Outputs), output => output.Reason == IncrementalStepRunReason.Modified);
    }

    [Fact]
    public void The_pipeline_model_holds_no_compiler_objects()
    {
        var compilation = GeneratorHarness.Compile(ExerciseModels.EveryActivationAndInit);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        var outputs = driver.GetRunResult().Results.Single().TrackedSteps
            .Where(step => ModelSteps.Contains(step.Key))
            .SelectMany(step => step.Value)
            .SelectMany(run => run.Outputs)
            .Select(output => output.Value)
            .ToList();

        Assert.NotEmpty(outputs);
        Assert.Contains(outputs, value => value is ModelSpec);
        foreach (var value in outputs)
        {
            AssertNoCompilerObjects(value, new HashSet<object>(ReferenceEqualityComparer.Instance), "model");
        }
    }

    [Fact]
    public void Residual_models_are_plain_data_and_cached_on_a_second_run()
    {
        var compilation = GeneratorHarness.Compile(ResidualModels.ResNet34, BlockModels.Blocks, BlockModels.BlockNet);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var outputs = driver.GetRunResult().Results.Single().TrackedSteps[TrackingNames.Models].SelectMany(run => run.Outputs).Select(output => output.Value).ToList();
        Assert.Equal(2, outputs.Count);
        foreach (var value in outputs)
        {
            AssertNoCompilerObjects(value, new HashSet<object>(ReferenceEqualityComparer.Instance), "model");
        }

        driver = driver.RunGenerators(compilation.Clone());

        AssertModelStepsReused(driver);
    }

    [Fact]
    public void An_edit_of_a_block_in_another_file_re_emits_the_model_that_uses_it()
    {
        var compilation = GeneratorHarness.Compile(BlockModels.Blocks, BlockModels.BlockNet);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var blocks = compilation.SyntaxTrees.First(tree => tree.ToString().Contains("class PageBlock", StringComparison.Ordinal));

        var edited = compilation.ReplaceSyntaxTree(blocks, CSharpSyntaxTree.ParseText(
            BlockModels.Blocks.Replace("Repeat = 2", "Repeat = 3", StringComparison.Ordinal), GeneratorHarness.ParseOptions, path: blocks.FilePath));
        driver = driver.RunGenerators(edited);

        var models = driver.GetRunResult().Results.Single().TrackedSteps[TrackingNames.Models];
        Assert.Contains(models.SelectMany(step => step.Outputs), output => output.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("residual1.conv3", driver.GetRunResult().Results.Single().GeneratedSources.Single(source => source.HintName == "Blocks.BlockNet.g.cs").SourceText.ToString(), StringComparison.Ordinal);
    }

    private static void AssertModelStepsReused(GeneratorDriver driver)
    {
        var steps = driver.GetRunResult().Results.Single().TrackedSteps;
        foreach (var name in ModelSteps)
        {
            var outputs = steps[name].SelectMany(step => step.Outputs).ToList();
            Assert.NotEmpty(outputs);
            Assert.All(outputs, output => Assert.True(
                output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                $"step {name} was {output.Reason}"));
        }
    }

    private static void AssertNoCompilerObjects(object? value, HashSet<object> seen, string path)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value))
        {
            return;
        }

        Assert.False(value is ISymbol or SyntaxNode or Compilation or SemanticModel or Location or SyntaxTree, $"{path} holds a compiler object ({value.GetType().Name})");
        if (value is IEnumerable items)
        {
            var i = 0;
            foreach (var item in items)
            {
                AssertNoCompilerObjects(item, seen, $"{path}[{i++}]");
            }
        }

        foreach (var field in value.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            AssertNoCompilerObjects(field.GetValue(value), seen, $"{path}.{field.Name}");
        }
    }
}

using System.Text.RegularExpressions;
using ApprovalTests;
using ApprovalTests.Namers;
using ApprovalTests.Reporters;
using DslNet.Generators.Tests.Infrastructure;
using Xunit;

namespace DslNet.Generators.Tests.Generation;

/// <summary>Snapshots of the generated code: any change to what users read shows up as a diff of an approved file.</summary>
[UseReporter(typeof(QuietReporter))]
[UseApprovalSubdirectory("Approved")]
public class GeneratedCodeSnapshotTests
{
    [Theory]
    [InlineData(nameof(ExerciseModels.SwishNet), ExerciseModels.SwishNet)]
    [InlineData(nameof(ExerciseModels.BatchNormNet), ExerciseModels.BatchNormNet)]
    [InlineData(nameof(ExerciseModels.SeluDropoutNet), ExerciseModels.SeluDropoutNet)]
    [InlineData(nameof(ExerciseModels.EveryActivationAndInit), ExerciseModels.EveryActivationAndInit)]
    [InlineData(nameof(ExerciseModels.ConvNet), ExerciseModels.ConvNet)]
    [InlineData(nameof(ExerciseModels.SeluConvNet), ExerciseModels.SeluConvNet)]
    [InlineData(nameof(ExerciseModels.AugmentedConvNet), ExerciseModels.AugmentedConvNet)]
    [InlineData(nameof(ExerciseModels.WhitenNet), ExerciseModels.WhitenNet)]
    public void Generated_code_matches_the_approved_snapshot(string name, string source)
    {
        var output = GeneratorHarness.Run(source);

        Assert.Empty(output.Exceptions);
        var model = Assert.Single(output.Sources, pair => pair.Key != "DslNet.ModuleInitializer.g.cs");
        using (ApprovalResults.ForScenario(name))
        {
            Approvals.Verify(ScrubVersion(model.Value));
        }

        Assert.Empty(output.Errors);
        Assert.Empty(output.Warnings);
    }

    [Fact]
    public void Module_initializer_is_emitted_once_per_assembly()
    {
        var output = GeneratorHarness.Run(ExerciseModels.SwishNet, ExerciseModels.BatchNormNet);

        Assert.Empty(output.Errors);
        Assert.Equal(
            new[] { "DslNet.ModuleInitializer.g.cs", "Exercise.BatchNormNet.g.cs", "Exercise.SwishNet.g.cs" },
            output.Sources.Keys);
        using (ApprovalResults.ForScenario("ModuleInitializer"))
        {
            Approvals.Verify(ScrubVersion(output.Sources["DslNet.ModuleInitializer.g.cs"]));
        }
    }

    /// <summary>The generator's version in <c>[GeneratedCode]</c> replaced by a placeholder, so a version bump does not rewrite every snapshot.</summary>
    private static string ScrubVersion(string code) =>
        Regex.Replace(code, @"GeneratedCode\(""DslNet"", ""[^""]*""\)", @"GeneratedCode(""DslNet"", ""{version}"")");
}

using DslNet.Generators.Emitting;
using DslNet.Generators.Model;
using DslNet.Generators.Tests.Infrastructure;
using Xunit;

namespace DslNet.Generators.Tests.Generation;

/// <summary>The generated <c>BuildOnnx</c> (behind <c>DslModule.ExportOnnx</c>): every layer kind has an ONNX form, so no model needs a "cannot export" diagnostic.</summary>
public class OnnxEmitterTests
{
    [Fact]
    public void BuildOnnx_is_one_chain_of_builder_calls_in_forward_order()
    {
        var output = GeneratorHarness.Run(ExerciseModels.BatchNormNet);

        var code = Assert.Single(output.Sources, pair => pair.Key != "DslNet.ModuleInitializer.g.cs").Value;
        var start = code.IndexOf("protected override void BuildOnnx(global::DslNet.Onnx.OnnxGraphBuilder graph) => graph", StringComparison.Ordinal);
        Assert.True(start >= 0, "BuildOnnx was not generated.");
        var chain = code[start..code.IndexOf(';', start)];
        Assert.Contains(".Flatten()", chain, StringComparison.Ordinal);
        Assert.Contains(".Dense(hidden1.weight!, hidden1.bias).BatchNorm(hidden1Norm.weight, hidden1Norm.bias, hidden1Norm.running_mean!, hidden1Norm.running_var!, 0.001).Swish()", chain, StringComparison.Ordinal);
        Assert.EndsWith(".Dense(output.weight!, output.bias).Softmax()", chain, StringComparison.Ordinal);
        Assert.True(chain.IndexOf(".Flatten()", StringComparison.Ordinal) < chain.IndexOf(".Dense(hidden1", StringComparison.Ordinal));
    }
}

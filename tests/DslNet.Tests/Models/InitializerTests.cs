using Xunit;
using static TorchSharp.torch;

namespace DslNet.Tests.Models;

/// <summary>Keras' initializers, measured on the generated WideNet (1,000,000 weights a layer).</summary>
public class InitializerTests
{
    private static readonly WideNet Model = new();

    public static TheoryData<string, double> NormalLayers => new()
    {
        { "hidden1", 2.0 / 1000 },            // He normal: 2 / fan_in
        { "hidden2", 1.0 / 1000 },            // LeCun normal: 1 / fan_in
        { "hidden4", 2.0 / (1000 + 1000) },   // Glorot normal: 2 / (fan_in + fan_out)
    };

    [Theory]
    [MemberData(nameof(NormalLayers))]
    public void Truncated_normals_have_the_Keras_std_and_nothing_beyond_two_raw_stds(string layer, double variance)
    {
        var weight = Weight(layer);
        var target = Math.Sqrt(variance);
        var std = weight.std().item<float>();
        var raw = target / DslNet.Layers.Initializers.TruncatedNormalStd;

        Assert.InRange(std, target * 0.98, target * 1.02);
        Assert.True(weight.abs().max().item<float>() <= 2 * raw * (1 + 1e-6), "a truncated normal never exceeds ±2 raw std");
        Assert.InRange(weight.mean().item<float>(), -0.01 * target, 0.01 * target);
    }

    [Theory]
    [InlineData("hidden3", 6.0 / (1000 + 1000))]   // Glorot uniform
    [InlineData("hidden5", 6.0 / 1000)]            // He uniform
    public void Uniform_initializers_fill_their_bounds(string layer, double limitSquared)
    {
        var weight = Weight(layer);
        var limit = Math.Sqrt(limitSquared);

        Assert.True(weight.abs().max().item<float>() <= limit);
        Assert.True(weight.abs().max().item<float>() >= limit * 0.99, "a million uniform draws reach the bound");
        Assert.InRange(weight.std().item<float>(), limit / Math.Sqrt(3) * 0.98, limit / Math.Sqrt(3) * 1.02);
    }

    [Fact]
    public void Biases_start_at_zero()
    {
        foreach (var (name, parameter) in Model.named_parameters().Where(p => p.name.EndsWith(".bias", StringComparison.Ordinal)))
        {
            Assert.True(parameter.eq(0).all().item<bool>(), $"{name} must start at zero");
        }
    }

    private static Tensor Weight(string layer) => Model.named_parameters().Single(p => p.name == layer + ".weight").parameter;
}

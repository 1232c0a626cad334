using DslNet.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;
using Parameter = TorchSharp.Modules.Parameter;

namespace DslNet.Tests.Training;

/// <summary>
/// The fused float32 update (one vectorized pass over the flat buffers) against the same optimizer's torch formulation,
/// which float64 parameters take: the two agree to float32 precision over buffers long enough for the vector loop and its tail.
/// </summary>
public sealed class FusedUpdateTests
{
    static FusedUpdateTests() => DslNet.Native.TorchNativeLibrary.EnsureLoadable();

    [Theory]
    [InlineData("Adam")]
    [InlineData("AdamW")]
    [InlineData("Nadam")]
    public void FusedUpdateMatchesTheTorchFormulation(string name)
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(3);
        var initial = new[] { torch.randn([37, 29], float64, generator: generator), torch.randn([5], float64, generator: generator) };
        var targets = initial.Select(t => torch.randn(t.shape, float64, generator: generator)).ToArray();
        var curvature = initial.Select(t => torch.rand(t.shape, float64, generator: generator).add_(0.1)).ToArray();
        var single = initial.Select(t => new Parameter(t.to_type(ScalarType.Float32))).ToArray();
        var reference = initial.Select(t => new Parameter(t.clone())).ToArray();
        using var fused = Create(name, single);
        using var torchPath = Create(name, reference);

        for (var step = 1; step <= 6; step++)
        {
            Step(fused, single, targets, curvature);
            Step(torchPath, reference, targets, curvature);
            for (var v = 0; v < single.Length; v++)
            {
                var difference = single[v].detach().to_type(ScalarType.Float64).sub(reference[v]).abs().max().item<double>();
                Assert.True(difference < 1e-5, $"step {step}, variable {v}: fused and torch updates differ by {difference:R}");
            }
        }

        Assert.True(single[0].detach().sub(initial[0].to_type(ScalarType.Float32)).abs().max().item<float>() > 0.01f, "the updates moved the weights");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void UpdateSplitOverThreadsIsIdenticalToOnePass(int parts)
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(5);
        var length = 3 * MomentKernel.MinimumPerPart + 13; // parts of unequal length and a tail outside the vector loop
        Tensor[] Buffers() => [.. Enumerable.Range(0, 4).Select(i => torch.randn([length], generator: new Generator(11 + (ulong)i)).abs_())];
        var one = Buffers();
        var split = Buffers();

        MomentKernel.Apply(one[0], one[1], one[2], one[3], 1, 0.1f, 0.999f, 0.001f, 1e-7f, -0.002f, -0.01f);
        MomentKernel.Apply(split[0], split[1], split[2], split[3], parts, 0.1f, 0.999f, 0.001f, 1e-7f, -0.002f, -0.01f);

        for (var i = 0; i < 4; i++)
        {
            Assert.True(one[i].eq(split[i]).all().item<bool>(), $"buffer {i} differs");
        }

        Assert.False(one[0].eq(Buffers()[0]).all().item<bool>(), "the update changed the weights");
    }

    private static Optimizer Create(string name, Parameter[] parameters) => name switch
    {
        "Adam" => new Adam(parameters, 0.01),
        "AdamW" => new AdamW(parameters, 0.01, weightDecay: 0.1),
        "Nadam" => new Nadam(parameters, 0.01),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown optimizer"),
    };

    private static void Step(Optimizer optimizer, Parameter[] parameters, Tensor[] targets, Tensor[] curvature)
    {
        using var scope = torch.NewDisposeScope();
        optimizer.ZeroGrad();
        var loss = parameters
            .Select((p, v) => p.sub(targets[v].to_type(p.dtype)).square().mul(curvature[v].to_type(p.dtype)).sum().mul(0.5))
            .Aggregate((a, b) => a.add(b));
        loss.backward();
        optimizer.Step();
    }
}

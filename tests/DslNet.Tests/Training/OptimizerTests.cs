using DslNet.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;
using Parameter = TorchSharp.Modules.Parameter;

namespace DslNet.Tests.Training;

/// <summary>Each optimizer against the independent double-precision Keras reference, through real autograd gradients.</summary>
public sealed class OptimizerTests
{
    // Two variables of different shapes; the loss ½Σk(w − t)² gives gradients k(w − t) that change every step.
    private static readonly double[][] Initial = [[0.5, -1.2, 2.0, 0.1, -0.3, 0.9], [1.5, -0.7, 0.2, -2.2]];
    private static readonly double[][] Targets = [[0.0, 1.0, -1.0, 0.3, 0.2, -0.5], [0.4, 0.4, -0.6, 1.0]];
    private static readonly double[][] Curvature = [[1.0, 3.0, 0.5, 2.0, 1.5, 0.8], [4.0, 0.3, 1.0, 2.5]];

    static OptimizerTests() => DslNet.Native.TorchNativeLibrary.EnsureLoadable();

    public static TheoryData<string> Optimizers() => ["Adam", "Nadam", "RmsProp", "RmsPropMomentum", "AdaGrad", "AdaMax", "AdamW", "Sgd", "SgdMomentum", "SgdNesterov"];

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void MatchesKerasUpdateForSeveralSteps(string name)
    {
        var (parameters, optimizer, reference) = Create(name);
        using var disposeOptimizer = optimizer;
        var expected = Initial.Select(v => (double[])v.Clone()).ToArray();
        for (var step = 0; step < 5; step++)
        {
            reference.Apply(expected, Gradients(expected));
            TakeStep(parameters, optimizer);
            AssertClose(expected, parameters, $"{name}, step {step + 1}");
        }
    }

    [Fact]
    public void GradientsAccumulateIntoTheFlatBuffer()
    {
        var parameters = Parameters();
        using var optimizer = new Sgd(parameters, 0.1);
        optimizer.ZeroGrad();
        Loss(parameters).backward();
        optimizer.Step();
        Assert.False(optimizer.CopiedGradients, "autograd accumulates into the views of the flat gradient buffer");
        var after = Initial.Select(v => (double[])v.Clone()).ToArray();
        new KerasReference.Sgd(0.1, 0, false).Apply(after, Gradients(Initial));
        AssertClose(after, parameters, "first step");

        // A second backward without ZeroGrad adds to the same gradient, as torch does.
        optimizer.ZeroGrad();
        Loss(parameters).backward();
        Loss(parameters).backward();
        using var grad = parameters[0].grad!.clone();
        var single = Gradients(Read(parameters))[0];
        Assert.Equal(2 * single[1], grad.view(-1)[1].item<float>(), 4);
    }

    [Fact]
    public void GradientsResetByOtherCodeAreStillUsed()
    {
        var parameters = Parameters();
        using var optimizer = new Adam(parameters, 0.05);
        var reference = new KerasReference.Adam(0.05, 0.9, 0.999, 1e-7);
        var expected = Initial.Select(v => (double[])v.Clone()).ToArray();
        TakeStep(parameters, optimizer);
        reference.Apply(expected, Gradients(expected));

        // What module.zero_grad() does by default: gradients set to null, so autograd allocates new ones.
        foreach (var p in parameters)
        {
            p.grad = null;
        }

        TakeStep(parameters, optimizer);
        reference.Apply(expected, Gradients(expected));
        Assert.True(optimizer.CopiedGradients, "the replaced gradients were noticed");
        AssertClose(expected, parameters, "after the gradients were reset");
        TakeStep(parameters, optimizer);
        reference.Apply(expected, Gradients(expected));
        Assert.False(optimizer.CopiedGradients, "the views are back in place");
        AssertClose(expected, parameters, "one step later");
    }

    [Fact]
    public void KerasL2PenaltyHasGradientTwoLambdaW()
    {
        using var w = new Parameter(torch.tensor(new float[] { 0.5f, -2f, 3f }));
        using var optimizer = new Sgd([w], learningRate: 0.1);
        optimizer.ZeroGrad();
        Penalties.L2(w, 0.01).backward();
        Assert.Equal([2 * 0.01 * 0.5f, 2 * 0.01 * -2f, 2 * 0.01 * 3f], w.grad!.data<float>().ToArray().Select(x => (double)x), new Tolerance(1e-7));
        optimizer.Step();
        Assert.Equal([0.5 * (1 - 0.002), -2 * (1 - 0.002), 3 * (1 - 0.002)], w.data<float>().ToArray().Select(x => (double)x), new Tolerance(1e-6));
    }

    [Fact]
    public void KerasL1PenaltyIsLambdaSumOfAbsoluteValues()
    {
        using var w = torch.tensor(new float[] { 0.5f, -2f, 3f });
        Assert.Equal(0.1 * 5.5, Penalties.L1(w, 0.1).item<float>(), 6);
        Assert.Equal(0.1 * (0.25 + 4 + 9), Penalties.L2(w, 0.1).item<float>(), 5);
    }

    [Fact]
    public void ClipNormClipsEachVariableSeparately()
    {
        // Gradients: variable 1 = (6, 8) with norm 10, variable 2 = (0.3, 0.4) with norm 0.5; clipnorm 1.
        using var a = new Parameter(torch.zeros(2));
        using var b = new Parameter(torch.zeros(2));
        using var optimizer = new Sgd([a, b], learningRate: 1) { ClipNorm = 1 };
        optimizer.ZeroGrad();
        (a * torch.tensor(new float[] { 6, 8 })).sum().add((b * torch.tensor(new float[] { 0.3f, 0.4f })).sum()).backward();
        optimizer.Step();
        Assert.Equal([-0.6, -0.8], a.data<float>().ToArray().Select(x => (double)x), new Tolerance(1e-6));
        Assert.Equal([-0.3, -0.4], b.data<float>().ToArray().Select(x => (double)x), new Tolerance(1e-6));
    }

    [Fact]
    public void ClipValueClipsEachElement()
    {
        using var a = new Parameter(torch.zeros(3));
        using var optimizer = new Sgd([a], learningRate: 1) { ClipValue = 0.5 };
        optimizer.ZeroGrad();
        (a * torch.tensor(new float[] { 2, -0.25f, -3 })).sum().backward();
        optimizer.Step();
        Assert.Equal([-0.5, 0.25, 0.5], a.data<float>().ToArray().Select(x => (double)x), new Tolerance(1e-7));
    }

    [Fact]
    public void SnapshotRestoresTheExactState()
    {
        var parameters = Parameters();
        using var optimizer = new Nadam(parameters, 0.01);
        TakeStep(parameters, optimizer);
        using var snapshot = optimizer.Snapshot();
        var saved = parameters.Select(p => p.detach().clone()).ToArray();
        TakeStep(parameters, optimizer);
        var afterOne = parameters.Select(p => p.detach().clone()).ToArray();

        using (torch.no_grad())
        {
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i].copy_(saved[i]);
            }
        }

        optimizer.LearningRate = 0.5;
        TakeStep(parameters, optimizer);
        optimizer.Restore(snapshot);
        Assert.Equal(1, optimizer.Iterations);
        Assert.Equal(0.01, optimizer.LearningRate);
        using (torch.no_grad())
        {
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i].copy_(saved[i]);
            }
        }

        TakeStep(parameters, optimizer);
        for (var i = 0; i < parameters.Length; i++)
        {
            Assert.True(parameters[i].detach().eq(afterOne[i]).all().item<bool>(), "bitwise the same step after restoring");
        }
    }

    [Fact]
    public void BadArgumentsAreOneClearError()
    {
        var parameters = Parameters();
        Assert.Contains("beta1", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(parameters, 0.001, beta1: 1)).Message);
        Assert.Contains("learning rate", Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(parameters, double.NaN)).Message);
        Assert.Contains("no trainable parameters", Assert.Throws<ArgumentException>(() => new Sgd([], 0.1)).Message);
    }

    private static (Parameter[] Parameters, Optimizer Optimizer, KerasReference Reference) Create(string name)
    {
        var p = Parameters();
        return name switch
        {
            "Adam" => (p, new Adam(p, 0.05, 0.9, 0.999, 1e-7), new KerasReference.Adam(0.05, 0.9, 0.999, 1e-7)),
            "Nadam" => (p, new Nadam(p, 0.01, 0.9, 0.999, 1e-7), new KerasReference.Nadam(0.01, 0.9, 0.999, 1e-7)),
            "RmsProp" => (p, new RmsProp(p, 0.01, 0.9, 0, 1e-7), new KerasReference.RmsProp(0.01, 0.9, 0, 1e-7)),
            "RmsPropMomentum" => (p, new RmsProp(p, 0.01, 0.9, 0.5, 1e-7), new KerasReference.RmsProp(0.01, 0.9, 0.5, 1e-7)),
            "AdaGrad" => (p, new AdaGrad(p, 0.1, 0.1, 1e-7), new KerasReference.AdaGrad(0.1, 0.1, 1e-7)),
            "AdaMax" => (p, new AdaMax(p, 0.05, 0.9, 0.999, 1e-7), new KerasReference.AdaMax(0.05, 0.9, 0.999, 1e-7)),
            "AdamW" => (p, new AdamW(p, 0.05, 0.9, 0.999, 1e-7, 0.1), new KerasReference.AdamW(0.05, 0.9, 0.999, 1e-7, 0.1)),
            "Sgd" => (p, new Sgd(p, 0.1), new KerasReference.Sgd(0.1, 0, false)),
            "SgdMomentum" => (p, new Sgd(p, 0.1, 0.9), new KerasReference.Sgd(0.1, 0.9, false)),
            "SgdNesterov" => (p, new Sgd(p, 0.1, 0.9, nesterov: true), new KerasReference.Sgd(0.1, 0.9, true)),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown optimizer"),
        };
    }

    private static Parameter[] Parameters() =>
    [
        new Parameter(torch.tensor(Initial[0].Select(x => (float)x).ToArray()).reshape(2, 3)),
        new Parameter(torch.tensor(Initial[1].Select(x => (float)x).ToArray())),
    ];

    private static Tensor Loss(Parameter[] parameters)
    {
        var loss = torch.zeros(1);
        for (var v = 0; v < parameters.Length; v++)
        {
            var diff = parameters[v].reshape(-1) - torch.tensor(Targets[v].Select(x => (float)x).ToArray());
            loss = loss + (diff.square() * torch.tensor(Curvature[v].Select(x => (float)x).ToArray())).sum() * 0.5f;
        }

        return loss.sum();
    }

    private static double[][] Gradients(double[][] weights) =>
        weights.Select((w, v) => w.Select((x, i) => Curvature[v][i] * (x - Targets[v][i])).ToArray()).ToArray();

    private static void TakeStep(Parameter[] parameters, Optimizer optimizer)
    {
        using var scope = torch.NewDisposeScope();
        optimizer.ZeroGrad();
        Loss(parameters).backward();
        optimizer.Step();
    }

    private static double[][] Read(Parameter[] parameters) =>
        parameters.Select(p => p.detach().reshape(-1).data<float>().ToArray().Select(x => (double)x).ToArray()).ToArray();

    private static void AssertClose(double[][] expected, Parameter[] actual, string what)
    {
        var values = Read(actual);
        for (var v = 0; v < expected.Length; v++)
        {
            for (var i = 0; i < expected[v].Length; i++)
            {
                Assert.True(Math.Abs(expected[v][i] - values[v][i]) <= 1e-5 + 1e-5 * Math.Abs(expected[v][i]),
                    $"{what}: variable {v}[{i}] expected {expected[v][i]:R}, got {values[v][i]:R}");
            }
        }
    }

    private sealed class Tolerance(double epsilon) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= epsilon;

        public int GetHashCode(double obj) => 0;
    }
}

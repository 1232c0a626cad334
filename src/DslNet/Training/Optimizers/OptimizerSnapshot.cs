using static TorchSharp.torch;

namespace DslNet.Training;

/// <summary>An exact copy of an <see cref="Optimizer"/>'s state, for <see cref="Optimizer.Restore"/>.</summary>
public sealed class OptimizerSnapshot : IDisposable
{
    internal OptimizerSnapshot(Optimizer owner, long iterations, double learningRate, Tensor[] slots, double[] scalars)
    {
        Owner = owner;
        Iterations = iterations;
        LearningRate = learningRate;
        Slots = slots;
        Scalars = scalars;
    }

    /// <summary>The step count at the time of the snapshot.</summary>
    public long Iterations { get; }

    /// <summary>The learning rate at the time of the snapshot.</summary>
    public double LearningRate { get; }

    internal Optimizer Owner { get; }

    internal Tensor[] Slots { get; }

    internal double[] Scalars { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var slot in Slots)
        {
            slot.Dispose();
        }
    }
}

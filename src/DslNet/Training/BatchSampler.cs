using TorchSharp;
using static TorchSharp.torch;

namespace DslNet.Training;

/// <summary>
/// Mini-batches of a dataset: each epoch draws one permutation from a seeded generator (when shuffling), and each batch
/// is one gather of the permuted rows (or a narrow view when not shuffling). No per-sample managed work.
/// </summary>
internal sealed class BatchSampler : IDisposable
{
    private readonly Dataset data;
    private readonly int batchSize;
    private readonly torch.Generator? generator;
    private Tensor? permutation;

    public BatchSampler(Dataset data, int batchSize, bool shuffle, int seed)
    {
        this.data = data;
        this.batchSize = batchSize;
        if (data.Count == 0)
        {
            throw new ArgumentException("The training set is empty: pass a dataset with at least one sample.", nameof(data));
        }

        if (shuffle)
        {
            generator = new torch.Generator((ulong)seed, data.Features.device);
        }

        Steps = (data.Count + batchSize - 1) / batchSize;
    }

    /// <summary>The number of batches per epoch.</summary>
    public int Steps { get; }

    /// <summary>Reshuffles for a new epoch.</summary>
    public void BeginEpoch()
    {
        if (generator is null)
        {
            return;
        }

        permutation?.Dispose();
        using var scope = torch.NewDisposeScope();
        permutation = torch.randperm(data.Count, device: data.Features.device, generator: generator).DetachFromDisposeScope();
    }

    /// <summary>Batch <paramref name="step"/> of the current epoch; its tensors belong to the caller's dispose scope.</summary>
    public (Tensor Features, Tensor Labels, int Size) Batch(int step)
    {
        var start = (long)step * batchSize;
        var size = (int)Math.Min(batchSize, data.Count - start);
        if (permutation is null)
        {
            return (data.Features.narrow(0, start, size), data.Labels.narrow(0, start, size), size);
        }

        var rows = permutation.narrow(0, start, size);
        return (data.Features.index_select(0, rows), data.Labels.index_select(0, rows), size);
    }

    /// <summary>The sample weights of batch <paramref name="step"/> (the same rows as <see cref="Batch"/>'s); null when the data has none.</summary>
    public Tensor? Weights(int step)
    {
        if (data.Weights is not { } weights)
        {
            return null;
        }

        var start = (long)step * batchSize;
        var size = Math.Min(batchSize, data.Count - start);
        return permutation is null ? weights.narrow(0, start, size) : weights.index_select(0, permutation.narrow(0, start, size));
    }

    /// <summary>The shuffling generator's state (null without shuffling).</summary>
    public Tensor? GeneratorState() => generator?.get_state();

    /// <summary>The current epoch's permutation (null without shuffling or before the first epoch).</summary>
    public Tensor? Permutation => permutation;

    /// <summary>Puts back a state saved from <see cref="GeneratorState"/> and <see cref="Permutation"/> (a training backup).</summary>
    public void RestoreState(Tensor? generatorState, Tensor? savedPermutation)
    {
        if (generator is not null && generatorState is not null)
        {
            generator.set_state(generatorState);
        }

        permutation?.Dispose();
        permutation = savedPermutation is null ? null : savedPermutation.clone().DetachFromDisposeScope();
    }

    public void Dispose()
    {
        permutation?.Dispose();
        generator?.Dispose();
    }
}

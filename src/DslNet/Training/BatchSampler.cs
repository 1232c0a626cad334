using DslNet.Training.State;
using TorchSharp;
using static TorchSharp.torch;

namespace DslNet.Training;

/// <summary>
/// Mini-batches of a dataset: each epoch draws one permutation from a seeded generator (when shuffling), and each batch
/// is one gather of the permuted rows (or a narrow view when not shuffling). No per-sample managed work.
/// </summary>
internal sealed class BatchSampler : IStatePart, IDisposable
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

    /// <summary>The shuffling generator's state and the current epoch's permutation (when shuffling).</summary>
    public void Save(StateRecord record, string prefix)
    {
        if (generator is null)
        {
            return;
        }

        using (var state = generator.get_state())
        {
            record.Put(prefix + "generator", state);
        }

        if (permutation is not null)
        {
            record.Put(prefix + "permutation", permutation);
        }
    }

    /// <summary>Puts back what <see cref="Save"/> stored (a permutation only where one was saved).</summary>
    public void Restore(StateRecord record, string prefix)
    {
        if (generator is null)
        {
            return;
        }

        generator.set_state(record.Tensor(prefix + "generator"));
        permutation?.Dispose();
        permutation = record.HasTensor(prefix + "permutation") ? record.Tensor(prefix + "permutation").clone().DetachFromDisposeScope() : null;
    }

    public void Dispose()
    {
        permutation?.Dispose();
        generator?.Dispose();
    }
}

using TorchSharp;
using static TorchSharp.torch;
using Parameter = TorchSharp.Modules.Parameter;

namespace DslNet.Training;

/// <summary>
/// A Keras-faithful optimizer over all of a model's trainable parameters, updated as one flat buffer (see the concrete
/// optimizers for the exact update formulas). <see cref="Step"/> clips the gradients (Keras: <see cref="ClipValue"/> first,
/// then <see cref="ClipNorm"/> per variable), then applies the update without recording autograd history.
/// </summary>
public abstract class Optimizer : IDisposable
{
    private readonly FlatParameters flat;
    private readonly List<Tensor> slots = [];
    private Tensor? scratch;
    private double learningRate;
    private double clipNorm;
    private double clipValue;
    private bool disposed;

    private protected Optimizer(IEnumerable<Parameter> parameters, double learningRate)
    {
        flat = new FlatParameters(parameters);
        LearningRate = learningRate;
    }

    /// <summary>The learning rate used by the next <see cref="Step"/> (schedules change it between steps).</summary>
    public double LearningRate
    {
        get => learningRate;
        set => learningRate = double.IsFinite(value) && value >= 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"{GetType().Name}: the learning rate must be a finite number ≥ 0.");
    }

    /// <summary>Keras <c>clipnorm</c>: each parameter's gradient is rescaled to at most this L2 norm, separately; 0 = off.</summary>
    public double ClipNorm
    {
        get => clipNorm;
        init => clipNorm = Hyperparameters.NonNegative(value, nameof(ClipNorm));
    }

    /// <summary>Keras <c>clipvalue</c>: each gradient element is clipped to [−ClipValue, ClipValue]; 0 = off.</summary>
    public double ClipValue
    {
        get => clipValue;
        init => clipValue = Hyperparameters.NonNegative(value, nameof(ClipValue));
    }

    /// <summary>The number of steps taken so far (Keras <c>optimizer.iterations</c>).</summary>
    public long Iterations { get; private set; }

    /// <summary>The number of parameter tensors optimized.</summary>
    public int ParameterCount => flat.Count;

    /// <summary>The number of scalar values optimized (the trainable parameters' total size).</summary>
    internal long ElementCount => flat.ElementCount;

    /// <summary>
    /// Threads the fused update (Adam, AdamW, Nadam on float32 CPU buffers) may split over; 1 = the calling thread only.
    /// Training sets it to every core it may use, whatever the step's plan (see <see cref="TrainingThreads.UseForUpdate"/>):
    /// the update is element-wise, so the result is the same however it is split, and a one-thread step's idle core does
    /// half of it.
    /// </summary>
    internal int UpdateThreads { get; set; } = 1;

    /// <summary>The optimized parameters, in the order of their segments in <see cref="FlatGradients"/>.</summary>
    internal IReadOnlyList<Parameter> TrainedParameters => flat.Parameters;

    /// <summary>Every optimized parameter's gradient in one buffer (each parameter's <c>.grad</c> is a view of it).</summary>
    internal Tensor FlatGradients => flat.Gradients;

    /// <summary>Whether the last step found gradients that autograd had not accumulated into the flat buffer (and copied them).</summary>
    internal bool CopiedGradients => flat.CopiedGradients;

    /// <summary>Zeros the gradients before the next backward pass.</summary>
    public void ZeroGrad()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        flat.ZeroGradients();
    }

    /// <summary>Clips the gradients of the last backward pass, then updates every parameter once.</summary>
    public void Step()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        flat.CollectGradients();
        Clip(flat.Gradients);
        Iterations++;
        Update(flat.Values, flat.Gradients, Iterations);
    }

    /// <summary>A copy of the optimizer's complete state (step count, learning rate, moment buffers).</summary>
    public OptimizerSnapshot Snapshot()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        using var noGrad = torch.no_grad();
        return new OptimizerSnapshot(this, Iterations, LearningRate, slots.Select(s => s.clone().DetachFromDisposeScope()).ToArray(), SaveScalars());
    }

    /// <summary>Puts back exactly the state captured by <paramref name="snapshot"/> (taken from this optimizer).</summary>
    public void Restore(OptimizerSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ObjectDisposedException.ThrowIf(disposed, this);
        if (!ReferenceEquals(snapshot.Owner, this))
        {
            throw new ArgumentException("This snapshot was taken from another optimizer; restore it into the optimizer it came from.", nameof(snapshot));
        }

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        for (var i = 0; i < slots.Count; i++)
        {
            slots[i].copy_(snapshot.Slots[i]);
        }

        Iterations = snapshot.Iterations;
        LearningRate = snapshot.LearningRate;
        RestoreScalars(snapshot.Scalars);
    }

    /// <summary>The number of state buffers (slots) aligned with the parameters.</summary>
    internal int SlotCount => slots.Count;

    /// <summary>
    /// Puts back a state read from a training backup, taken from an optimizer of the same kind over the same parameters (the
    /// backup's manifest guarantees it; the slot count and sizes are checked again here).
    /// </summary>
    internal void RestoreState(long iterations, double learningRate, IReadOnlyList<Tensor> savedSlots, double[] scalars)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (savedSlots.Count != slots.Count || savedSlots.Where((s, i) => s.numel() != slots[i].numel()).Any())
        {
            throw new InvalidDataException($"The saved {GetType().Name} state has {savedSlots.Count} buffers that do not fit this optimizer's {slots.Count}.");
        }

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        for (var i = 0; i < slots.Count; i++)
        {
            slots[i].copy_(savedSlots[i].view(slots[i].shape));
        }

        Iterations = iterations;
        LearningRate = learningRate;
        RestoreScalars(scalars);
    }

    /// <summary>The scalar state beyond the slots (for training backups).</summary>
    internal double[] ScalarState() => SaveScalars();

    /// <summary>The state buffers (for training backups; not copies).</summary>
    internal IReadOnlyList<Tensor> Slots => slots;

    /// <inheritdoc />
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        foreach (var slot in slots)
        {
            slot.Dispose();
        }

        scratch?.Dispose();
        flat.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>A state buffer aligned with the parameters (a Keras "slot"), filled with <paramref name="initialValue"/>.</summary>
    private protected Tensor AddSlot(double initialValue = 0)
    {
        using var scope = torch.NewDisposeScope();
        var slot = torch.full_like(flat.Values, initialValue).DetachFromDisposeScope();
        slots.Add(slot);
        return slot;
    }

    /// <summary>
    /// A work buffer the size of the parameters, reused by every step (a fresh temporary of that size would be a new
    /// page-faulting allocation per step). Not part of the optimizer's state.
    /// </summary>
    private protected Tensor Scratch => scratch ??= torch.empty_like(flat.Values).DetachFromDisposeScope();

    /// <summary>Applies update number <paramref name="step"/> (from 1) in place to <paramref name="values"/>.</summary>
    private protected abstract void Update(Tensor values, Tensor gradients, long step);

    /// <summary>Scalar state beyond the slots and the step count (Nadam's momentum cache).</summary>
    private protected virtual double[] SaveScalars() => [];

    /// <summary>Restores what <see cref="SaveScalars"/> returned.</summary>
    private protected virtual void RestoreScalars(double[] scalars)
    {
    }

    private void Clip(Tensor gradients)
    {
        if (ClipValue > 0)
        {
            gradients.clamp_(-ClipValue, ClipValue);
        }

        if (ClipNorm > 0)
        {
            // tf.clip_by_norm per variable: g · clipnorm / max(‖g‖, clipnorm), the norms summed per segment in one pass.
            var squaredNorms = torch.zeros(flat.Count, gradients.dtype, gradients.device)
                .index_add_(0, flat.SegmentIds, gradients.square(), 1);
            var scale = squaredNorms.sqrt_().clamp_min_(ClipNorm).reciprocal_().mul_(ClipNorm);
            gradients.mul_(scale.index_select(0, flat.SegmentIds));
        }
    }
}

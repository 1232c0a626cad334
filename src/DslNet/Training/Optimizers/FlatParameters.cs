using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;
using Parameter = TorchSharp.Modules.Parameter;

namespace DslNet.Training;

/// <summary>
/// All trainable parameters of a model packed into one contiguous buffer, and their gradients into another, so an
/// optimizer step is a handful of fused in-place operations whatever the number of parameters. Each parameter's data is
/// re-pointed to a view of <see cref="Values"/>, and its <c>.grad</c> set to a view of <see cref="Gradients"/>, into which
/// autograd then accumulates in place.
/// </summary>
internal sealed class FlatParameters : IDisposable
{
    private readonly Parameter[] parameters;
    private readonly long[] offsets;
    private readonly long[] sizes;
    private bool allChecked;

    public FlatParameters(IEnumerable<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        this.parameters = Distinct(parameters).Where(p => p.requires_grad).ToArray();
        if (this.parameters.Length == 0)
        {
            throw new ArgumentException(
                "The optimizer got no trainable parameters: every layer is frozen (Unfreeze some), or these are not the model's parameters() (e.g. new Adam(model.parameters(), …)).",
                nameof(parameters));
        }

        var first = this.parameters[0];
        foreach (var p in this.parameters)
        {
            if (p.dtype != first.dtype || p.device_type != first.device_type || p.device_index != first.device_index)
            {
                throw new ArgumentException(
                    $"All parameters must share one dtype and device: found {first.dtype} on {first.device} and {p.dtype} on {p.device}. Move the model to one device and dtype before creating the optimizer.",
                    nameof(parameters));
            }
        }

        sizes = this.parameters.Select(p => p.numel()).ToArray();
        offsets = new long[sizes.Length];
        for (var i = 1; i < sizes.Length; i++)
        {
            offsets[i] = offsets[i - 1] + sizes[i - 1];
        }

        var total = offsets[^1] + sizes[^1];
        Values = torch.empty(total, first.dtype, first.device).DetachFromDisposeScope();
        Gradients = torch.zeros(total, first.dtype, first.device).DetachFromDisposeScope();
        using (torch.no_grad())
        using (torch.NewDisposeScope())
        {
            for (var i = 0; i < this.parameters.Length; i++)
            {
                var p = this.parameters[i];
                var view = Segment(Values, i).view(p.shape);
                view.copy_(p);
                p.set_(view);
                p.grad = Segment(Gradients, i).view(p.shape);
            }

            using var sizeTensor = torch.tensor(sizes, device: first.device);
            SegmentIds = torch.repeat_interleave(torch.arange(sizes.Length, device: first.device), sizeTensor).DetachFromDisposeScope();
        }
    }

    /// <summary>Every parameter's values, one after the other.</summary>
    public Tensor Values { get; }

    /// <summary>Every parameter's gradient, aligned with <see cref="Values"/>.</summary>
    public Tensor Gradients { get; }

    /// <summary>For each element of <see cref="Values"/>, the index of the parameter it belongs to.</summary>
    public Tensor SegmentIds { get; }

    /// <summary>The number of parameters (segments).</summary>
    public int Count => parameters.Length;

    /// <summary>The parameters, in the order of their segments.</summary>
    public IReadOnlyList<Parameter> Parameters => parameters;

    /// <summary>The number of scalar values.</summary>
    public long ElementCount => Values.numel();

    /// <summary>Whether the last <see cref="CollectGradients"/> found a gradient that was not a view and had to copy it.</summary>
    public bool CopiedGradients { get; private set; }

    /// <summary>Zeros the gradients for the next backward pass (through the views every parameter's .grad is).</summary>
    public void ZeroGradients() => Gradients.zero_();

    /// <summary>
    /// Makes <see cref="Gradients"/> hold the gradients of the last backward pass. Autograd accumulates into the views
    /// installed at construction. The first call checks every parameter; later calls check the first one only (cheap), which
    /// catches code that reset the gradients (e.g. <c>module.zero_grad()</c> sets them to null). A gradient that is not a
    /// view is copied into the buffer and the view is installed again.
    /// </summary>
    public void CollectGradients()
    {
        CopiedGradients = false;
        if (allChecked && IsView(0))
        {
            return;
        }

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        for (var i = 0; i < parameters.Length; i++)
        {
            if (IsView(i))
            {
                continue;
            }

            var p = parameters[i];
            var segment = Segment(Gradients, i);
            if (p.grad is { } grad)
            {
                segment.copy_(grad.reshape(-1));
            }
            else
            {
                segment.zero_();
            }

            p.grad = segment.view(p.shape);
            CopiedGradients = true;
        }

        allChecked = true;
    }

    /// <summary>Whether parameter <paramref name="index"/>'s .grad is its view of <see cref="Gradients"/>: a marker written through it shows in the buffer.</summary>
    private bool IsView(int index)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        if (parameters[index].grad is not { } grad)
        {
            return false;
        }

        if (FlatSpans.Fusable(Gradients) && FlatSpans.Fusable(grad) && grad.is_contiguous())
        {
            // Same memory is the same view: compare addresses instead of writing a marker (a dozen small torch calls a step).
            var own = FlatSpans.Floats(Gradients).Slice((int)offsets[index], (int)sizes[index]);
            var seenThere = FlatSpans.Floats(grad);
            return seenThere.Length == own.Length && Unsafe.AreSame(ref MemoryMarshal.GetReference(seenThere), ref MemoryMarshal.GetReference(own));
        }

        var element = grad.view(-1)[0];
        var original = element.to_type(ScalarType.Float64).item<double>();
        var marker = index + 0.5;
        element.fill_(marker);
        var seen = Gradients[offsets[index]].to_type(ScalarType.Float64).item<double>();
        element.fill_(original);
        return seen == marker;
    }

    private Tensor Segment(Tensor flat, int index) => flat.narrow(0, offsets[index], sizes[index]);

    private static IEnumerable<Parameter> Distinct(IEnumerable<Parameter> parameters)
    {
        // A parameter shared by two layers is listed twice by Module.parameters(); it is optimized once.
        var seen = new HashSet<Parameter>(ReferenceEqualityComparer.Instance);
        foreach (var p in parameters)
        {
            ArgumentNullException.ThrowIfNull(p, nameof(parameters));
            if (seen.Add(p))
            {
                yield return p;
            }
        }
    }

    public void Dispose()
    {
        Values.Dispose();
        Gradients.Dispose();
        SegmentIds.Dispose();
    }
}

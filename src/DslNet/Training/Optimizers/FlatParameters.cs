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
    private bool gradientsVerified;
    private bool copyGradients;

    public FlatParameters(IEnumerable<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        this.parameters = Distinct(parameters).Where(p => p.requires_grad).ToArray();
        if (this.parameters.Length == 0)
        {
            throw new ArgumentException("The optimizer got no trainable parameters. Pass the model's parameters(), e.g. new Adam(model.parameters(), …).", nameof(parameters));
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

    /// <summary>The number of scalar values.</summary>
    public long ElementCount => Values.numel();

    /// <summary>Zeros the gradients for the next backward pass.</summary>
    public void ZeroGradients()
    {
        Gradients.zero_();
        if (copyGradients)
        {
            using var scope = torch.NewDisposeScope();
            foreach (var p in parameters)
            {
                p.grad?.zero_();
            }
        }
    }

    /// <summary>
    /// Makes <see cref="Gradients"/> hold the gradients of the last backward pass. Autograd accumulates into the views
    /// installed at construction; the first call checks that it really did (for every parameter), and if it did not,
    /// every later call copies the gradients into the buffer instead.
    /// </summary>
    public void CollectGradients()
    {
        if (!gradientsVerified)
        {
            copyGradients = !GradientsAreViews();
            gradientsVerified = true;
        }

        if (copyGradients)
        {
            using var scope = torch.NewDisposeScope();
            var grads = parameters.Select(p => p.grad is { } g ? g.reshape(-1) : torch.zeros(p.numel(), p.dtype, p.device)).ToArray();
            Gradients.copy_(torch.cat(grads, 0));
        }
    }

    private bool GradientsAreViews()
    {
        // Writes a distinct marker through each parameter's own .grad, checks that the flat buffer sees it, and puts the value back.
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        for (var i = 0; i < parameters.Length; i++)
        {
            if (parameters[i].grad is not { } grad)
            {
                return false;
            }

            var element = grad.view(-1)[0];
            var original = element.to_type(ScalarType.Float64).item<double>();
            var marker = i + 0.5;
            element.fill_(marker);
            var seen = Gradients[offsets[i]].to_type(ScalarType.Float64).item<double>();
            element.fill_(original);
            if (seen != marker)
            {
                return false;
            }
        }

        return true;
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

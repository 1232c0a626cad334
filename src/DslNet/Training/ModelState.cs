using TorchSharp;
using static TorchSharp.torch;

namespace DslNet.Training;

/// <summary>
/// An in-memory copy of a module's whole state (parameters and buffers such as batch-norm statistics), like Keras'
/// <c>get_weights</c>/<c>set_weights</c>. Captured again in place, so tracking the best epoch allocates once.
/// </summary>
internal sealed class ModelState : IDisposable
{
    private readonly Dictionary<string, Tensor> saved = [];

    public ModelState(nn.Module module) => Capture(module);

    private ModelState()
    {
    }

    /// <summary>The epoch whose state this is (0 = before training).</summary>
    public int Epoch { get; set; }

    public void Capture(nn.Module module)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        foreach (var (name, tensor) in module.state_dict())
        {
            if (saved.TryGetValue(name, out var copy))
            {
                copy.copy_(tensor);
            }
            else
            {
                saved[name] = tensor.detach().clone().DetachFromDisposeScope();
            }
        }
    }

    public void Restore(nn.Module module)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        foreach (var (name, tensor) in module.state_dict())
        {
            tensor.copy_(saved[name]);
        }
    }

    /// <summary>The saved tensors by state name (for training backups).</summary>
    public IReadOnlyDictionary<string, Tensor> Entries => saved;

    /// <summary>A state made of tensors read from a training backup (which it now owns).</summary>
    public static ModelState FromEntries(IEnumerable<KeyValuePair<string, Tensor>> entries, int epoch)
    {
        var state = new ModelState { Epoch = epoch };
        foreach (var (name, tensor) in entries)
        {
            state.saved[name] = tensor;
        }

        return state;
    }

    public void Dispose()
    {
        foreach (var tensor in saved.Values)
        {
            tensor.Dispose();
        }

        saved.Clear();
    }
}

using TorchSharp;
using static TorchSharp.torch;

namespace DslNet.Training;

/// <summary>Weight constraints with Keras' meaning, applied after each optimizer step by <see cref="ITrainableModel.ApplyConstraints"/>.</summary>
public static class Constraints
{
    /// <summary>Keras' fuzz factor in <c>max_norm</c>: w · clip(‖w‖, 0, c) / (ε + ‖w‖).</summary>
    private const double Epsilon = 1e-7;

    /// <summary>
    /// Keras <c>max_norm(c)</c> in place on a torch Linear weight [out, in]: each unit's incoming weight vector (a row) is
    /// rescaled to norm at most <paramref name="maxNorm"/>. Like Keras, every row is multiplied by
    /// clip(‖w‖, 0, c) / (1e-7 + ‖w‖), so rows under the limit shrink by a negligible factor too. A frozen parameter (one that
    /// requires no gradient) is left as it is: the optimizer does not update it, so Keras does not constrain it either.
    /// </summary>
    public static void MaxNorm(Tensor weight, double maxNorm)
    {
        ArgumentNullException.ThrowIfNull(weight);
        Hyperparameters.Positive(maxNorm, nameof(maxNorm));
        if (weight.dim() < 2)
        {
            throw new ArgumentException($"Max-norm constrains each unit's incoming weights, the rows of a [out, in] weight; got shape {Dataset.ShapeText(weight.shape)}.", nameof(weight));
        }

        if (weight is TorchSharp.Modules.Parameter { requires_grad: false })
        {
            return;
        }

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var dims = Enumerable.Range(1, (int)weight.dim() - 1).Select(d => (long)d).ToArray();
        var norms = weight.square().sum(dims, keepdim: true).sqrt_();
        weight.mul_(norms.clamp(0, maxNorm).div_(norms.add(Epsilon)));
    }
}

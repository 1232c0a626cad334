using static TorchSharp.torch;

namespace DslNet.Samples.Chapter11.Experiments;

/// <summary>Magnitude pruning and sparsity counts over a model's Dense kernels (biases are left alone).</summary>
internal static class Pruning
{
    /// <summary>Sets to exactly 0 every kernel weight whose magnitude is below <paramref name="threshold"/>.</summary>
    public static void ZeroBelow(IReadOnlyList<Tensor> kernels, double threshold)
    {
        using var noGrad = no_grad();
        foreach (var kernel in kernels)
        {
            using var small = kernel.abs().lt(threshold);
            kernel.masked_fill_(small, 0);
        }
    }

    /// <summary>The magnitude below which lie <paramref name="fraction"/> of all the kernels' weights (ties aside).</summary>
    public static double Quantile(IReadOnlyList<Tensor> kernels, double fraction)
    {
        using var scope = NewDisposeScope();
        var magnitudes = cat(kernels.Select(kernel => kernel.detach().abs().flatten()).ToArray());
        var sorted = magnitudes.sort().Values;
        var index = (long)Math.Round(fraction * magnitudes.numel());
        return index >= magnitudes.numel() ? double.PositiveInfinity : sorted[index].item<float>();
    }

    /// <summary>The fraction of kernel weights whose magnitude is at most <paramref name="threshold"/> (0 = exactly zero).</summary>
    public static double FractionAtMost(IReadOnlyList<Tensor> kernels, double threshold)
    {
        using var scope = NewDisposeScope();
        var count = kernels.Sum(kernel => kernel.numel());
        var small = kernels.Sum(kernel => kernel.detach().abs().le(threshold).sum().item<long>());
        return (double)small / count;
    }

    /// <summary>
    /// Of the first-layer weights of magnitude ≥ <paramref name="threshold"/>, the fraction that read one of the first
    /// <paramref name="inputs"/> input features (the columns of <paramref name="kernel"/>).
    /// </summary>
    public static double ShareOnFirstInputs(Tensor kernel, int inputs, double threshold)
    {
        using var scope = NewDisposeScope();
        var kept = kernel.detach().abs().ge(threshold);
        var total = kept.sum().item<long>();
        return total == 0 ? double.NaN : (double)kept[.., ..inputs].sum().item<long>() / total;
    }
}

using TorchSharp;
using static TorchSharp.torch;

namespace DslNet.Layers;

/// <summary>
/// Per-feature standardization (Keras <c>Normalization</c>): <c>(x − mean) / max(std, 1e-7)</c> (the floor is applied when adapting), with the mean and the
/// standard deviation (ddof 0) computed from the training features by <see cref="Adapt"/>. Both are persistent buffers,
/// so they are saved and loaded with the weights. Before <see cref="Adapt"/> it is the identity (mean 0, std 1).
/// </summary>
public sealed class Standardization : nn.Module<Tensor, Tensor>
{
    private readonly Tensor mean;
    private readonly Tensor std;

    /// <summary>Creates the layer for per-sample features of the given shape.</summary>
    public Standardization(params long[] featureShape) : base(nameof(Standardization))
    {
        mean = zeros(featureShape);
        std = ones(featureShape);
        register_buffer(nameof(mean), mean);
        register_buffer(nameof(std), std);
    }

    /// <summary>The model this layer belongs to, named in its errors (set when the model is built).</summary>
    internal string? ModelName { get; set; }

    /// <summary>The per-feature mean.</summary>
    public Tensor Mean => mean;

    /// <summary>The per-feature standard deviation (population, ddof 0).</summary>
    public Tensor Std => std;

    /// <summary>Computes the statistics from <paramref name="features"/> [N, …] (see <see cref="Data.Standardizer.Fit"/>).</summary>
    public void Adapt(Tensor features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.dim() != mean.dim() + 1 || !features.shape.Skip(1).SequenceEqual(mean.shape) || features.shape[0] < 1)
        {
            if (ModelName is not null && features.shape[0] >= 1)
            {
                throw Training.InputValidation.ShapeMismatch(ModelName, "training features", features.shape, mean.shape);
            }

            throw new ArgumentException(
                $"{(ModelName is null ? string.Empty : ModelName + ": ")}[Standardize] expects training features of shape [N, {string.Join(", ", mean.shape)}] with N ≥ 1, " +
                $"got {Dataset.ShapeText(features.shape)}.{Training.InputValidation.ShapeHint(ModelName ?? "the model", features.shape, mean.shape)}",
                nameof(features));
        }

        // Statistics of non-finite values would poison every later input (and the saved file): refuse them first.
        Training.InputValidation.CheckFinite(features, "training features", ModelName);
        using var statistics = Data.Standardizer.Fit(features);
        using var noGrad = no_grad();
        mean.copy_(statistics.Mean);
        std.copy_(statistics.Std);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => (input - mean) / std;
}

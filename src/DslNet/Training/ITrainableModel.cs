using static TorchSharp.torch;

namespace DslNet.Training;

/// <summary>
/// What the training loop needs from a model beyond its <c>forward</c>. Every generated model implements it
/// (explicitly, so these members stay off the model's own surface).
/// </summary>
public interface ITrainableModel
{
    /// <summary>The model's name, used in messages and log file names.</summary>
    string Name { get; }

    /// <summary>Whether accuracy is computed (classification).</summary>
    bool IsClassifier { get; }

    /// <summary>How the logits map to predictions (which also decides how accuracy is computed).</summary>
    OutputKind OutputKind { get; }

    /// <summary>The shape of one input sample, without the batch dimension (what <c>[Model(…)]</c> declares).</summary>
    IReadOnlyList<long> SampleShape { get; }

    /// <summary>The number of output units (the number of classes for a softmax output).</summary>
    int OutputUnits { get; }

    /// <summary>
    /// The declared test-time augmentation (<c>[TestTimeAugmentation]</c>) that <c>Predict</c>, <c>Evaluate</c> and validation
    /// average over; null (the default) for none.
    /// </summary>
    TestTimeAugmentationAttribute? TestTimeAugmentation => null;

    /// <summary>The forward pass without the output activation (including the input-shape check).</summary>
    Tensor Logits(Tensor input);

    /// <summary>The declared loss computed from logits, averaged over the batch.</summary>
    Tensor DataLoss(Tensor logits, Tensor labels);

    /// <summary>The declared loss of each sample of the batch, <c>[N]</c> (averaged over a sample's outputs, as Keras' losses are); their mean is <see cref="DataLoss"/>.</summary>
    Tensor SampleLosses(Tensor logits, Tensor labels);

    /// <summary>The sum of the ℓ1/ℓ2 weight penalties (Keras meaning, see <see cref="Penalties"/>); null when the model declares none.</summary>
    Tensor? Penalty();

    /// <summary>Applies the weight constraints (max-norm, see <see cref="Constraints"/>) after an optimizer step; a no-op when none.</summary>
    void ApplyConstraints();
}

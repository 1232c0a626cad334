namespace DslNet;

/// <summary>
/// Test-time augmentation of an image model (airbench's <c>tta_level</c>): <c>Predict</c>, <c>Evaluate</c> and the validation of
/// <c>Fit</c> average the model's predictions (its output probabilities for a softmax or sigmoid output, its values for a
/// linear one) over the input and its horizontally flipped copy (<see cref="Flip"/>), and over copies shifted by
/// ±<see cref="Translate"/> pixels on both axes with reflect padding; the loss and accuracy they report are those of the
/// averaged prediction. Training steps never use it. It is runtime averaging: the graphs <c>ExportOnnx</c> and
/// <c>ExportPyTorch</c> write are the plain network, and a runtime that loads them must average by itself.
/// </summary>
/// <remarks>
/// With both, the weights are airbench94's: ½ on the input and its mirror, ½ on the mirrored shifts by (−n, −n) and (+n, +n)
/// (each of the six copies ¼ or ⅛). The copies are of the input <c>Predict</c> takes, before any <c>[Standardize]</c>.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class TestTimeAugmentationAttribute : Attribute
{
    /// <summary>Average over the horizontally flipped copy too (default true).</summary>
    public bool Flip { get; set; } = true;

    /// <summary>
    /// The shift n ≥ 0 in pixels (default 0 = none): average over copies shifted by (−n, −n) and (+n, +n), reflect-padded
    /// (airbench uses 1). Must be smaller than the image's height and width.
    /// </summary>
    public int Translate { get; set; }
}

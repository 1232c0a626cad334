using DslNet.Generators.Helpers;

namespace DslNet.Generators.Model;

/// <summary>
/// One layer of the planned network (after Repeat is expanded and implicit Flatten inserted).
/// Kind-specific values are plain fields; the ones a kind does not use keep their defaults.
/// </summary>
/// <param name="Kind">What the layer is.</param>
/// <param name="FieldName">The generated field (e.g. <c>hidden3</c>, <c>output</c>).</param>
/// <param name="DeclarationIndex">Index of the attribute (in the class's attribute list) that declared it; -1 for an implicit layer.</param>
/// <param name="InputShape">Per-sample input shape.</param>
/// <param name="OutputShape">Per-sample output shape.</param>
internal sealed record LayerSpec(
    LayerKind Kind,
    string FieldName,
    int DeclarationIndex,
    EquatableArray<int> InputShape,
    EquatableArray<int> OutputShape)
{
    /// <summary>Dense: units; Conv2D: filters.</summary>
    public int Units { get; init; }

    /// <summary>Dense or Activation: the activation.</summary>
    public Act Act { get; init; }

    /// <summary>Dense: the declared initializer (may be Auto).</summary>
    public Init DeclaredInit { get; init; }

    /// <summary>Dense: the initializer actually used (never Auto).</summary>
    public Init Init { get; init; }

    /// <summary>Dense with Init.Constant: the value.</summary>
    public double InitValue { get; init; }

    public bool UseBias { get; init; } = true;

    /// <summary>Dense: batch normalization between the linear part and the activation.</summary>
    public bool BatchNorm { get; init; }

    public double L1 { get; init; }

    public double L2 { get; init; }

    public double MaxNorm { get; init; }

    /// <summary>LeakyReLU slope or ELU alpha; NaN = the default.</summary>
    public double Alpha { get; init; } = double.NaN;

    /// <summary>Dropout / AlphaDropout rate.</summary>
    public double Rate { get; init; }

    /// <summary>BatchNorm (standalone or in a Dense): Keras momentum.</summary>
    public double Momentum { get; init; } = KerasDefaults.BatchNormMomentum;

    /// <summary>BatchNorm: epsilon.</summary>
    public double Epsilon { get; init; } = KerasDefaults.BatchNormEpsilon;

    /// <summary>The batch norm of a Dense or Conv2D: whether it learns a scale γ (Keras' <c>scale</c>).</summary>
    public bool BatchNormScale { get; init; } = true;

    /// <summary>A residual unit: the layers of its main path (field names inside the unit: <c>conv1</c>, <c>conv1Norm</c>, …).</summary>
    public EquatableArray<LayerSpec> Main { get; init; }

    /// <summary>A residual unit: the layers of its shortcut (none: the identity).</summary>
    public EquatableArray<LayerSpec> Shortcut { get; init; }

    /// <summary>A residual unit declared with a [Block] class: the block's name (empty for the book's unit).</summary>
    public string Block { get; init; } = string.Empty;

    /// <summary>A block unit: its shortcut where the block changes the shape.</summary>
    public Projection Projection { get; init; }

    /// <summary>A residual unit: the generated nested module class it is an instance of.</summary>
    public string UnitClass { get; init; } = string.Empty;

    /// <summary>Resize: the output height and width.</summary>
    public int ResizeHeight { get; init; }

    /// <summary>Resize: the output width.</summary>
    public int ResizeWidth { get; init; }

    /// <summary>1-based position among the declared layer attributes and repeat number, for messages ("layer 3").</summary>
    public int Position { get; init; }

    /// <summary>Trainable parameters.</summary>
    public long TrainableParameters { get; init; }

    /// <summary>Non-trainable parameters (batch-norm moving statistics, standardization statistics).</summary>
    public long NonTrainableParameters { get; init; }

    /// <summary>Conv2D: kernel side; MaxPool / AvgPool: window side.</summary>
    public int Kernel { get; init; }

    /// <summary>Conv2D / MaxPool / AvgPool: the stride (pools: the window side unless declared).</summary>
    public int Stride { get; init; } = 1;

    /// <summary>Conv2D: the dilation.</summary>
    public int Dilation { get; init; } = 1;

    /// <summary>Conv2D / MaxPool / AvgPool: the padding mode.</summary>
    public Padding Padding { get; init; }

    /// <summary>RandomCrop: the zero padding on each side before cropping.</summary>
    public int CropPadding { get; init; }

    /// <summary>Whether this is the network's last Dense layer (its activation is the output activation).</summary>
    public bool IsOutput { get; init; }

    /// <summary>A layer with weights that starts frozen: declared <c>Trainable = false</c>, or reused by [Reuse].</summary>
    public bool Frozen { get; init; }

    /// <summary>For a layer reused by [Reuse]: its field name in the source model (its weights come from there); else empty.</summary>
    public string ReusedFrom { get; init; } = string.Empty;
}

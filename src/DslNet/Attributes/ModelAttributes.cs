namespace DslNet;

/// <summary>
/// Marks a <c>partial</c> class as a DslNet model. The attributes that follow it on the class declare
/// the layers (in order) and the training setup; the DslNet generator emits the TorchSharp module.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ModelAttribute : Attribute
{
    /// <summary>Declares a model with the given per-sample input shape, for example (3, 32, 32).</summary>
    public ModelAttribute(params int[] inputShape) => InputShape = inputShape;

    /// <summary>The per-sample input shape (without the batch dimension).</summary>
    public int[] InputShape { get; }

    /// <summary>The name shown in summaries and messages; the class name by default.</summary>
    public string? Name { get; set; }

    /// <summary>The seed of weight initialization and shuffling (default 42).</summary>
    public int Seed { get; set; } = KerasDefaults.Seed;

    /// <summary>The user promises that inputs are already standardized (mean 0, std 1 per feature).</summary>
    public bool InputsStandardized { get; set; }
}

/// <summary>Which loss to train with; inferred from the output layer when absent.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class LossAttribute : Attribute
{
    /// <summary>Declares the loss.</summary>
    public LossAttribute(LossKind kind) => Kind = kind;

    /// <summary>Keeps the loss inferred from the output layer (<see cref="LossKind.Auto"/>), e.g. to declare only <see cref="LabelSmoothing"/>.</summary>
    public LossAttribute()
        : this(LossKind.Auto)
    {
    }

    /// <summary>The loss.</summary>
    public LossKind Kind { get; }

    /// <summary>
    /// Keras' <c>label_smoothing</c> ε in [0, 1] (default 0): cross-entropy against (1 − ε)·one-hot + ε / classes
    /// (binary cross-entropy: y·(1 − ε) + ε / 2). Only for the cross-entropy losses.
    /// </summary>
    public double LabelSmoothing { get; set; }
}

/// <summary>Epochs, batch size and shuffling of <c>Fit</c> (each overridable by <see cref="FitOptions"/>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class TrainAttribute : Attribute
{
    /// <summary>The maximum number of epochs (default 100).</summary>
    public int Epochs { get; set; } = KerasDefaults.Epochs;

    /// <summary>The mini-batch size (default 32, as Keras).</summary>
    public int BatchSize { get; set; } = KerasDefaults.BatchSize;

    /// <summary>Shuffle the training set at every epoch (default true).</summary>
    public bool Shuffle { get; set; } = KerasDefaults.Shuffle;
}

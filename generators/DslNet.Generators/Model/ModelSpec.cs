using DslNet.Generators.Helpers;

namespace DslNet.Generators.Model;

/// <summary>A containing type of the model class (the model may be nested in partial types).</summary>
internal sealed record ContainingTypeSpec(string Keyword, string Name);

/// <summary>
/// Everything the emitter needs about one model: plain, value-equatable data (no symbols, syntax or locations),
/// so the generator's pipeline caches it.
/// </summary>
internal sealed record ModelSpec(
    string Namespace,
    EquatableArray<ContainingTypeSpec> ContainingTypes,
    string ClassName,
    string Name,
    EquatableArray<int> InputShape,
    int Seed,
    bool InputsStandardized,
    EquatableArray<LayerSpec> Layers,
    LossKind Loss,
    OutputKind OutputKind,
    OptimizerSpec Optimizer,
    ScheduleSpec? Schedule,
    EarlyStoppingSpec? EarlyStopping,
    TrainSpec Train)
{
    /// <summary>The [Reuse] declaration, when the model starts with another model's layers.</summary>
    public ReuseSpec? Reuse { get; init; }

    /// <summary>[Loss(LabelSmoothing = ε)]: Keras' label_smoothing of a cross-entropy loss; 0 when not declared.</summary>
    public double LabelSmoothing { get; init; }

    /// <summary>[TestTimeAugmentation(Flip, Translate)], when declared.</summary>
    public TestTimeAugmentationSpec? TestTimeAugmentation { get; init; }

    /// <summary>The fully qualified metadata-free name used for the hint file (e.g. <c>Samples.SwishNet</c>).</summary>
    public string QualifiedName
    {
        get
        {
            var name = ClassName;
            for (var i = ContainingTypes.Count - 1; i >= 0; i--)
            {
                name = ContainingTypes[i].Name + "." + name;
            }

            return Namespace.Length == 0 ? name : Namespace + "." + name;
        }
    }
}

/// <summary>
/// [Reuse(typeof(A), Layers = n)]: the source model's type (as C# writes it, <c>global::</c>-qualified) and the attribute's
/// index. The reused layers themselves are the first entries of <see cref="ModelSpec.Layers"/> (<see cref="LayerSpec.ReusedFrom"/>).
/// </summary>
internal sealed record ReuseSpec(string SourceType, string SourceName, int DeclarationIndex);

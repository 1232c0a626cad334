namespace DslNet;

/// <summary>
/// The chapter's transfer learning: this model starts with the first <see cref="Layers"/> layers of the [Model] class
/// <see cref="Source"/> (same input shape), frozen at first. The generated <c>FromPretrained(source)</c> copies their
/// weights; <c>FreezeReused()</c> / <c>UnfreezeReused()</c> switch them. Must be the first layer attribute.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ReuseAttribute : LayerAttribute
{
    /// <summary>Reuses the layers of <paramref name="source"/>, a [Model] class.</summary>
    public ReuseAttribute(Type source) => Source = source;

    /// <summary>The model whose layers are reused.</summary>
    public Type Source { get; }

    /// <summary>
    /// How many layers to reuse, counted as rows of the source's <c>Summary</c> (Flatten rows aside; a Dense's own batch
    /// norm is its second row). Unset: every layer before the source's output layer, as the book reuses them.
    /// </summary>
    public int Layers { get; set; }
}

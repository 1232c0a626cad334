namespace DslNet;

/// <summary>How a <c>[Residual(typeof(B))]</c> unit's shortcut meets a block whose output shape differs from its input's.</summary>
public enum Projection
{
    /// <summary>A 1×1 convolution (no bias, the stride that maps the input's size to the block's) and a batch norm where the shapes differ; the identity where they match.</summary>
    Auto,
    /// <summary>Always the identity: a block whose output shape differs from its input's is the error DSL006, naming both shapes.</summary>
    None,
}

/// <summary>
/// A reusable sequence of layer attributes (no <c>[Model]</c>, no training attributes): the main path of a
/// <c>[Residual(typeof(B))]</c> unit, usable from any model of the compilation or of one that references it.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class BlockAttribute : Attribute
{
}

/// <summary>
/// A residual unit (HOML chapter 14's <c>ResidualUnit</c>, the ResNet-18/34 unit): main path Conv(<see cref="Kernel"/>,
/// <see cref="Stride"/>) → BN → <see cref="Act"/> → Conv(<see cref="Kernel"/>) → BN, convolutions without bias; shortcut the
/// identity, or a 1×1 convolution (<see cref="Stride"/>) → BN where the stride or the channel count changes; <see cref="Act"/>
/// after the sum. <see cref="Repeat"/> units in a row, only the first of which strides.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ResidualAttribute : LayerAttribute
{
    /// <summary>Declares residual units of <paramref name="filters"/> channels (the book's unit).</summary>
    public ResidualAttribute(int filters) => Filters = filters;

    /// <summary>
    /// Declares residual units whose main path is the layers declared on the <c>[Block]</c> class <paramref name="block"/>;
    /// the shortcut is the identity, or a projection where the block changes the shape (<see cref="Projection"/>); after the
    /// sum, <see cref="Act"/> only where it is set (none by default).
    /// </summary>
    public ResidualAttribute(Type block) => Block = block;

    /// <summary>The channels of every convolution of the book's unit (0 for a block).</summary>
    public int Filters { get; }

    /// <summary>The <c>[Block]</c> class whose layers are the main path, or null for the book's unit.</summary>
    public Type? Block { get; }

    /// <summary>A block's shortcut where its output shape differs from its input's (default <see cref="DslNet.Projection.Auto"/>).</summary>
    public Projection Projection { get; set; } = Projection.Auto;

    /// <summary>The stride of the first unit's first convolution and projection (default 1).</summary>
    public int Stride { get; set; } = 1;

    /// <summary>How many units in a row (default 1); only the first strides.</summary>
    public int Repeat { get; set; } = 1;

    /// <summary>The side of the main path's kernels (default 3).</summary>
    public int Kernel { get; set; } = 3;

    /// <summary>The activation inside the main path and after the sum (default ReLU); for a block, after the sum only (default none).</summary>
    public Act Act { get; set; } = Act.ReLU;

    /// <summary>The kernels' initializer (default: chosen from the activation, He for ReLU).</summary>
    public Init Init { get; set; } = Init.Auto;

    /// <summary>The convolutions' padding (default <see cref="DslNet.Padding.Same"/>; <see cref="DslNet.Padding.Symmetric"/> for PyTorch-trained weights).</summary>
    public Padding Padding { get; set; } = Padding.Same;

    /// <summary>The batch norms' ε (Keras' 1e-3).</summary>
    public double BatchNormEpsilon { get; set; } = KerasDefaults.BatchNormEpsilon;

    /// <summary>The batch norms' momentum, Keras' meaning (0.99).</summary>
    public double BatchNormMomentum { get; set; } = KerasDefaults.BatchNormMomentum;

    /// <summary>Whether the batch norms learn a scale γ (default true).</summary>
    public bool BatchNormScale { get; set; } = true;

    /// <summary>ℓ2 penalty factor on every kernel of the unit, in Keras' meaning.</summary>
    public double L2 { get; set; }

    /// <summary>Whether the units train (default true); false starts them frozen.</summary>
    public bool Trainable { get; set; } = true;
}

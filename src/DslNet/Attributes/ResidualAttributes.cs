namespace DslNet;

/// <summary>
/// A residual unit (HOML chapter 14's <c>ResidualUnit</c>, the ResNet-18/34 unit): main path Conv(<see cref="Kernel"/>,
/// <see cref="Stride"/>) → BN → <see cref="Act"/> → Conv(<see cref="Kernel"/>) → BN, convolutions without bias; shortcut the
/// identity, or a 1×1 convolution (<see cref="Stride"/>) → BN where the stride or the channel count changes; <see cref="Act"/>
/// after the sum. <see cref="Repeat"/> units in a row, only the first of which strides.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ResidualAttribute : LayerAttribute
{
    /// <summary>Declares residual units of <paramref name="filters"/> channels.</summary>
    public ResidualAttribute(int filters) => Filters = filters;

    /// <summary>The channels of every convolution of the unit.</summary>
    public int Filters { get; }

    /// <summary>The stride of the first unit's first convolution and projection (default 1).</summary>
    public int Stride { get; set; } = 1;

    /// <summary>How many units in a row (default 1); only the first strides.</summary>
    public int Repeat { get; set; } = 1;

    /// <summary>The side of the main path's kernels (default 3).</summary>
    public int Kernel { get; set; } = 3;

    /// <summary>The activation inside the main path and after the sum (default ReLU).</summary>
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

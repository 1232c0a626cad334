namespace DslNet;

/// <summary>How a convolution or pooling window treats the border of the feature map (Keras' meanings).</summary>
public enum Padding
{
    /// <summary>No padding (Keras' default): the output has floor((H − d·(k − 1) − 1) / stride) + 1 rows.</summary>
    Valid,
    /// <summary>Zero padding so that the output has ceil(H / stride) rows; an odd total puts the extra pixel at the bottom/right, as Keras does.</summary>
    Same,
    /// <summary>
    /// ⌊k/2⌋·dilation zeros on every side (PyTorch's <c>padding = k // 2</c>, as torchvision's and CNTK's ResNets pad; max
    /// pooling pads with −∞): floor((H + 2p − d·(k − 1) − 1) / stride) + 1 rows. The same size as <see cref="Same"/> for odd
    /// kernels, but at stride 2 the windows start one pixel earlier: weights trained with one give other outputs under the other.
    /// </summary>
    Symmetric,
}

/// <summary>
/// A 2-D convolution over a feature map <c>(C, H, W)</c> (channels first): <c>filters</c> kernels of <c>kernel × kernel</c>,
/// with Keras' strides, padding and dilation. Fan-in of a kernel = C·k·k, fan-out = filters·k·k.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class Conv2DAttribute : LayerAttribute
{
    /// <summary>Declares a convolution with <paramref name="filters"/> output channels and square kernels of side <paramref name="kernel"/>.</summary>
    public Conv2DAttribute(int filters, int kernel)
    {
        Filters = filters;
        Kernel = kernel;
    }

    /// <summary>The number of output channels.</summary>
    public int Filters { get; }

    /// <summary>The side of the square kernel.</summary>
    public int Kernel { get; }

    /// <summary>The step between windows (default 1).</summary>
    public int Stride { get; set; } = 1;

    /// <summary><see cref="DslNet.Padding.Valid"/> (default, as Keras), <see cref="DslNet.Padding.Same"/> or <see cref="DslNet.Padding.Symmetric"/>.</summary>
    public Padding Padding { get; set; } = Padding.Valid;

    /// <summary>The spacing between kernel taps (default 1: no dilation).</summary>
    public int Dilation { get; set; } = 1;

    /// <summary>How many identical layers this attribute declares (default 1).</summary>
    public int Repeat { get; set; } = 1;

    /// <summary>The activation (default linear).</summary>
    public Act Act { get; set; } = Act.Linear;

    /// <summary>The kernel initializer (default: chosen from the activation).</summary>
    public Init Init { get; set; } = Init.Auto;

    /// <summary>The value of every weight when <see cref="Init"/> is <see cref="DslNet.Init.Constant"/>.</summary>
    public double InitValue { get; set; }

    /// <summary>Whether the layer has a bias (default true; a batch-normalized layer needs none).</summary>
    public bool UseBias { get; set; } = true;

    /// <summary>Conv2D → BatchNorm (per channel) → activation.</summary>
    public bool BatchNorm { get; set; }

    /// <summary>The ε of the batch norm that <see cref="BatchNorm"/> adds (Keras' 1e-3).</summary>
    public double BatchNormEpsilon { get; set; } = KerasDefaults.BatchNormEpsilon;

    /// <summary>The momentum of the batch norm that <see cref="BatchNorm"/> adds, in Keras' meaning (0.99).</summary>
    public double BatchNormMomentum { get; set; } = KerasDefaults.BatchNormMomentum;

    /// <summary>Whether the batch norm that <see cref="BatchNorm"/> adds learns a scale γ (Keras' <c>scale</c>, default true); false keeps γ = 1.</summary>
    public bool BatchNormScale { get; set; } = true;

    /// <summary>ℓ1 penalty factor on the kernel, in Keras' meaning.</summary>
    public double L1 { get; set; }

    /// <summary>ℓ2 penalty factor on the kernel, in Keras' meaning.</summary>
    public double L2 { get; set; }

    /// <summary>Max-norm constraint on each filter's weights, applied after every step (0 = off).</summary>
    public double MaxNorm { get; set; }

    /// <summary>The LeakyReLU slope (default 0.3, as Keras) or ELU alpha (default 1).</summary>
    public double Alpha { get; set; } = double.NaN;

    /// <summary>Whether the layer trains (default true); false starts it frozen, as Keras' <c>layer.trainable = False</c>.</summary>
    public bool Trainable { get; set; } = true;
}

/// <summary>Max pooling over <c>size × size</c> windows of each channel (Keras <c>MaxPooling2D</c>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class MaxPoolAttribute : LayerAttribute
{
    /// <summary>Declares max pooling with square windows of side <paramref name="size"/>.</summary>
    public MaxPoolAttribute(int size) => Size = size;

    /// <summary>The side of the pooling window.</summary>
    public int Size { get; }

    /// <summary>The step between windows (0 = the window size, Keras' default).</summary>
    public int Stride { get; set; }

    /// <summary><see cref="DslNet.Padding.Valid"/> (default), <see cref="DslNet.Padding.Same"/> or <see cref="DslNet.Padding.Symmetric"/> (padding never wins the max).</summary>
    public Padding Padding { get; set; } = Padding.Valid;
}

/// <summary>Average pooling over <c>size × size</c> windows of each channel (Keras <c>AveragePooling2D</c>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AvgPoolAttribute : LayerAttribute
{
    /// <summary>Declares average pooling with square windows of side <paramref name="size"/>.</summary>
    public AvgPoolAttribute(int size) => Size = size;

    /// <summary>The side of the pooling window.</summary>
    public int Size { get; }

    /// <summary>The step between windows (0 = the window size, Keras' default).</summary>
    public int Stride { get; set; }

    /// <summary><see cref="DslNet.Padding.Valid"/> (default), <see cref="DslNet.Padding.Same"/> or <see cref="DslNet.Padding.Symmetric"/> (padding is not counted in the mean, as Keras).</summary>
    public Padding Padding { get; set; } = Padding.Valid;
}

/// <summary>The mean over H and W of each channel: <c>(C, H, W)</c> → <c>(C)</c> (Keras <c>GlobalAveragePooling2D</c>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GlobalAvgPoolAttribute : LayerAttribute
{
}

/// <summary>Data augmentation while training: each image is flipped left-right with probability ½. Identity at inference.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class RandomFlipAttribute : LayerAttribute
{
}

/// <summary>
/// Data augmentation while training: each image is zero-padded by <c>padding</c> pixels on every side and cropped back
/// to its size at a random offset (a random shift of up to ±padding pixels). Identity at inference.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class RandomCropAttribute : LayerAttribute
{
    /// <summary>Declares a random crop after padding by <paramref name="padding"/> pixels.</summary>
    public RandomCropAttribute(int padding) => Padding = padding;

    /// <summary>The zero padding added on each side before cropping.</summary>
    public int Padding { get; }
}

/// <summary>
/// Bilinear resizing of each image to <c>height × width</c> (Keras <c>Resizing</c>: bilinear, no antialiasing, half-pixel
/// centres, i.e. PyTorch's <c>interpolate(mode="bilinear", align_corners=False)</c>), e.g. CIFAR images up to a pretrained
/// network's input. In training and at inference.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ResizeAttribute : LayerAttribute
{
    /// <summary>Declares resizing to <paramref name="height"/> × <paramref name="width"/>.</summary>
    public ResizeAttribute(int height, int width)
    {
        Height = height;
        Width = width;
    }

    /// <summary>The output height.</summary>
    public int Height { get; }

    /// <summary>The output width.</summary>
    public int Width { get; }
}

/// <summary>
/// A frozen patch-whitening convolution (airbench's first layer): 2·C·k² filters of <c>k × k</c> (no padding, stride 1),
/// whose weights are computed from the training images as they reach the layer, once, at the start of the model's first
/// <c>Fit</c> (like <c>[Standardize]</c>'s statistics): the eigenvectors of the k × k patches' covariance, each divided by
/// √(eigenvalue + <see cref="Epsilon"/>), and their negatives. The weights never train (non-trainable, saved and loaded);
/// the bias trains. <c>(C, H, W)</c> → <c>(2·C·k², H − k + 1, W − k + 1)</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class WhitenAttribute : LayerAttribute
{
    /// <summary>The side of the square patches (default 2, airbench's).</summary>
    public int Kernel { get; set; } = 2;

    /// <summary>Added to each eigenvalue before its square root divides the eigenvector (default 5e-4, airbench's).</summary>
    public double Epsilon { get; set; } = 5e-4;

    /// <summary>The activation after the convolution (default linear; airbench uses GELU).</summary>
    public Act Act { get; set; } = Act.Linear;

    /// <summary>Whether the layer has a bias, which trains (default true); false: no bias.</summary>
    public bool UseBias { get; set; } = true;

    /// <summary>Whether the bias trains (default true); false starts it frozen, as Keras' <c>layer.trainable = False</c>. The whitening weights never train.</summary>
    public bool Trainable { get; set; } = true;
}

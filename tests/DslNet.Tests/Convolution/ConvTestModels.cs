using DslNet;

namespace DslNet.Tests.Convolution;

// Conv models declared exactly as users declare them: the generator runs over this test project.

/// <summary>Every conv arithmetic case in one net: same and valid padding, strides 1–3, odd and even sizes, dilation, both pools.</summary>
[Model(3, 32, 31)]
[Conv2D(16, 3, Padding = Padding.Same, Act = Act.ReLU)]
[Conv2D(32, 5, Stride = 2, UseBias = false, BatchNorm = true, Act = Act.ReLU)]
[MaxPool(2)]
[AvgPool(3, Stride = 2, Padding = Padding.Same)]
[Conv2D(8, 3, Dilation = 2, Padding = Padding.Same, Act = Act.PReLU)]
[Conv2D(8, 2, Stride = 3)]
[Flatten]
[Dense(10, Act = Act.Softmax)]
public partial class ShapeNet;

/// <summary>One conv with stride 2 and same padding on an even map: Keras pads the extra pixel bottom/right.</summary>
[Model(3, 8, 8)]
[Conv2D(4, 3, Stride = 2, Padding = Padding.Same)]
public partial class SameStrideConv;

/// <summary>Wide conv layers so the kernel initializers are measured on ~400,000–600,000 weights each (fan-in C·k·k).</summary>
// It mixes SELU with other activations on purpose (one layer per initializer) and is never trained.
#pragma warning disable DSL105, DSL106
[Model(64, 8, 8)]
[Conv2D(256, 5, Padding = Padding.Same, Act = Act.ReLU, Init = Init.He)]
[Conv2D(256, 3, Padding = Padding.Same, Act = Act.SELU, Init = Init.LeCun)]
[Conv2D(256, 3, Padding = Padding.Same, Act = Act.Tanh, Init = Init.Glorot)]
[GlobalAvgPool]
[Dense(10, Act = Act.Softmax)]
public partial class WideConvNet;
#pragma warning restore DSL105, DSL106

/// <summary>Augmentation in front of a tiny conv net.</summary>
[Model(3, 8, 8, Seed = 7)]
[RandomFlip]
[RandomCrop(2)]
[Conv2D(4, 3, Act = Act.ReLU)]
[GlobalAvgPool]
[Dense(3, Act = Act.Softmax)]
public partial class AugmentedNet;

using DslNet;

namespace DslNet.Tests.Weights;

/// <summary>torchvision's BasicBlock ResNet of Fixtures/make_mini_resnet.py, declared with DslNet attributes (torch's padding and epsilon).</summary>
[Model(3, 16, 16)]
[Conv2D(8, 3, Padding = Padding.Symmetric, UseBias = false, BatchNorm = true, Act = Act.ReLU, BatchNormEpsilon = 1e-5)]
[Residual(8, Padding = Padding.Symmetric, BatchNormEpsilon = 1e-5)]
[Residual(16, Stride = 2, Padding = Padding.Symmetric, BatchNormEpsilon = 1e-5)]
[GlobalAvgPool]
[Dense(10, Act = Act.Softmax)]
public partial class MiniTorchResNet;

/// <summary>The same body under a new three-class head (15 Summary rows of body).</summary>
[Model(3, 16, 16, Seed = 7)]
[Conv2D(8, 3, Padding = Padding.Symmetric, UseBias = false, BatchNorm = true, Act = Act.ReLU, BatchNormEpsilon = 1e-5)]
[Residual(8, Padding = Padding.Symmetric, BatchNormEpsilon = 1e-5)]
[Residual(16, Stride = 2, Padding = Padding.Symmetric, BatchNormEpsilon = 1e-5)]
[GlobalAvgPool]
[Dense(3, Act = Act.Softmax)]
public partial class MiniTorchResNetNewHead;

/// <summary>The same body with one more Dense layer than the file holds.</summary>
[Model(3, 16, 16, Seed = 8)]
[Conv2D(8, 3, Padding = Padding.Symmetric, UseBias = false, BatchNorm = true, Act = Act.ReLU, BatchNormEpsilon = 1e-5)]
[Residual(8, Padding = Padding.Symmetric, BatchNormEpsilon = 1e-5)]
[Residual(16, Stride = 2, Padding = Padding.Symmetric, BatchNormEpsilon = 1e-5)]
[GlobalAvgPool]
[Dense(10, Act = Act.ReLU)]
[Dense(10, Act = Act.Softmax)]
public partial class MiniTorchResNetTwoDense;

/// <summary>A main path whose first conv is a strided 1×1 of the projection's very shape: shapes cannot tell them apart.</summary>
[Block]
[Conv2D(16, 1, Stride = 2, UseBias = false, BatchNorm = true, Act = Act.ReLU)]
[Conv2D(16, 3, Padding = Padding.Symmetric, UseBias = false, BatchNorm = true)]
public partial class PointwiseDownBlock;

/// <summary>A unit around <see cref="PointwiseDownBlock"/> (its automatic projection has the shapes of the block's first conv).</summary>
[Model(3, 16, 16, Seed = 9)]
[Conv2D(8, 3, Padding = Padding.Symmetric, UseBias = false, BatchNorm = true, Act = Act.ReLU)]
[Residual(typeof(PointwiseDownBlock), Act = Act.ReLU)]
[GlobalAvgPool]
[Dense(10, Act = Act.Softmax)]
public partial class PointwiseResNet;

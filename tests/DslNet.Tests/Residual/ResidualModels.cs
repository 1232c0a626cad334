using DslNet;

namespace DslNet.Tests.Residual;

/// <summary>A small residual network: an identity unit, two strided-then-plain units with torch's padding and scale-free batch norms, a PReLU unit with ℓ2.</summary>
[Model(3, 12, 12, Seed = 3)]
[Conv2D(8, 3, Padding = Padding.Same, UseBias = false, BatchNorm = true, Act = Act.ReLU)]
[Residual(8)]
[Residual(16, Stride = 2, Repeat = 2, Padding = Padding.Symmetric, BatchNormScale = false, BatchNormEpsilon = 1e-5)]
[Residual(16, Act = Act.PReLU, L2 = 1e-4, BatchNormMomentum = 0.9)]
[GlobalAvgPool]
[Dense(3, Act = Act.Softmax)]
[Sgd(LearningRate = 0.05, Momentum = 0.9)]
[Train(Epochs = 2, BatchSize = 8)]
public partial class SmallResNet;

/// <summary>The same network with its first residual unit frozen by declaration.</summary>
[Model(3, 12, 12, Seed = 3)]
[Conv2D(8, 3, Padding = Padding.Same, UseBias = false, BatchNorm = true, Act = Act.ReLU)]
[Residual(8, Trainable = false)]
[Residual(16, Stride = 2)]
[GlobalAvgPool]
[Dense(3, Act = Act.Softmax)]
[Sgd(LearningRate = 0.05, Momentum = 0.9)]
[Train(Epochs = 2, BatchSize = 8)]
public partial class FrozenUnitResNet;

/// <summary>HOML chapter 14's ResNet-34 (Keras: 21,289,802 trainable parameters of 21,306,826).</summary>
[Model(3, 224, 224)]
[Conv2D(64, 7, Stride = 2, Padding = Padding.Same, UseBias = false, BatchNorm = true, Act = Act.ReLU)]
[MaxPool(3, Stride = 2, Padding = Padding.Same)]
[Residual(64, Repeat = 3)]
[Residual(128, Stride = 2, Repeat = 4)]
[Residual(256, Stride = 2, Repeat = 6)]
[Residual(512, Stride = 2, Repeat = 3)]
[GlobalAvgPool]
[Dense(10, Act = Act.Softmax)]
public partial class ResNet34;

/// <summary>Two conv → BN (the second without activation): the identity as shortcut.</summary>
[Block]
[Conv2D(8, 3, Padding = Padding.Same, UseBias = false, BatchNorm = true, Act = Act.ReLU)]
[Conv2D(8, 3, Padding = Padding.Same, UseBias = false, BatchNorm = true)]
public partial class TwoConvBlock;

/// <summary>Halves the map, doubles the channels (a projection follows automatically), with a PReLU inside.</summary>
[Block]
[Conv2D(16, 3, Stride = 2, Padding = Padding.Symmetric, UseBias = false, BatchNorm = true, Act = Act.Swish)]
[Conv2D(16, 1, Act = Act.PReLU)]
public partial class DownBlock;

/// <summary>A block with dropout (Monte Carlo dropout reaches inside units).</summary>
[Block]
[Conv2D(16, 3, Padding = Padding.Same, Act = Act.ReLU)]
[Dropout(0.2)]
public partial class DropBlock;

/// <summary>Units around blocks: identity, automatic projection, dropout inside.</summary>
[Model(3, 12, 12, Seed = 5)]
[Conv2D(8, 3, Padding = Padding.Same, UseBias = false, BatchNorm = true, Act = Act.ReLU)]
[Residual(typeof(TwoConvBlock), Act = Act.ReLU, Repeat = 2)]
[Residual(typeof(DownBlock))]
[Residual(typeof(DropBlock), Act = Act.ELU)]
[GlobalAvgPool]
[Dense(3, Act = Act.Softmax)]
[Train(Epochs = 1, BatchSize = 8)]
public partial class BlockResNet;

/// <summary>The chapter's transfer learning on a ResNet: SmallResNet's stem and first two units (14 Summary rows), a new binary head.</summary>
[Model(3, 12, 12, Seed = 9)]
[Reuse(typeof(SmallResNet), Layers = 14)]
[GlobalAvgPool]
[Dense(1, Act = Act.Sigmoid)]
[Train(Epochs = 1, BatchSize = 8)]
public partial class ResNetTransfer;

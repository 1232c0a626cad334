using DslNet;
using DslNet.Samples.Chapter11.Models;

namespace DslNet.Tests.Models;

// Transfer learning at a small scale: a source model on 4 classes and models that reuse its layers.

/// <summary>The source: two hidden layers, a third with its own batch norm, a softmax over 4 classes.</summary>
[Model(12, Seed = 5)]
[Dense(16, Repeat = 2, Act = Act.ReLU, Init = Init.He)]
[Dense(8, Act = Act.ReLU, BatchNorm = true, UseBias = false)]
[Dense(4, Act = Act.Softmax)]
[Adam(LearningRate = 0.01)]
[Train(BatchSize = 16)]
public partial class FourClassNet;

/// <summary>Reuses every row of <see cref="FourClassNet"/> before its output (hidden1, hidden2, hidden3 and hidden3Norm), then a new sigmoid output.</summary>
[Model(12, Seed = 6)]
[Reuse(typeof(FourClassNet), Layers = 4)]
[Dense(1, Act = Act.Sigmoid)]
[Adam(LearningRate = 0.01)]
[Train(BatchSize = 16)]
public partial class BinaryOnFourClassNet;

/// <summary>Frozen by declaration: a frozen Dense with ℓ2 and max-norm (neither may touch it), a frozen batch norm, a trainable output.</summary>
[Model(12, Seed = 7)]
[Dense(16, Act = Act.ReLU, L2 = 0.1, MaxNorm = 0.05, Trainable = false)]
[BatchNorm(Trainable = false)]
[Dense(3, Act = Act.Softmax)]
[Sgd(LearningRate = 0.05)]
[Train(BatchSize = 16)]
public partial class DeclaredFrozenNet;

/// <summary>Reuse across projects: the source model lives in the Chapter 11 sample's assembly.</summary>
[Model(3, 32, 32, Seed = 8)]
[Reuse(typeof(TransferSourceNet), Layers = 3)]
[Dense(2, Act = Act.Softmax)]
public partial class TwoClassOnSampleNet;

/// <summary>
/// The book's usual CNN as a source: augmentation, a conv with its own batch norm, max pooling, a conv, a batch norm,
/// average pooling, dropout, global average pooling, a softmax over 3 classes.
/// </summary>
[Model(3, 8, 8, Seed = 11)]
[RandomFlip]
[RandomCrop(1)]
[Conv2D(4, 3, Padding = Padding.Same, Act = Act.ReLU, BatchNorm = true, UseBias = false)]
[MaxPool(2)]
[Conv2D(8, 3, Padding = Padding.Same, Act = Act.ReLU)]
[BatchNorm]
[AvgPool(2)]
[Dropout(0.2)]
[GlobalAvgPool]
[Dense(3, Act = Act.Softmax)]
[Adam(LearningRate = 0.01)]
[Train(BatchSize = 8)]
public partial class ConvSourceNet;

/// <summary>Reuses every layer of <see cref="ConvSourceNet"/> before its output, pooling and augmentation included, then a new sigmoid output.</summary>
[Model(3, 8, 8, Seed = 12)]
[Reuse(typeof(ConvSourceNet))]
[Dense(1, Act = Act.Sigmoid)]
[Adam(LearningRate = 0.01)]
[Train(BatchSize = 8)]
public partial class BinaryOnConvNet;

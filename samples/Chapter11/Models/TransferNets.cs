using DslNet;

namespace DslNet.Samples.Chapter11.Models;

// The `transfer` experiment: the chapter's "Reusing Pretrained Layers" on CIFAR-10.

/// <summary>
/// Model A, the book's: 3 × Dense(100, ReLU, He) and a softmax over the 8 CIFAR-10 classes other than cat and dog
/// ([Standardize] first, since CIFAR-10's pixels are raw 0–255; B reuses its statistics with the layers).
/// </summary>
[Model(3, 32, 32, Seed = 11)]
[Standardize]
[Dense(100, Repeat = 3, Act = Act.ReLU, Init = Init.He)]
[Dense(8, Act = Act.Softmax)]
[Adam(LearningRate = 1e-3)]
[Train(BatchSize = 32)]
public partial class TransferSourceNet;

/// <summary>Model B on A's layers: everything but A's output layer, reused (frozen at first), then a new sigmoid output for cat vs dog.</summary>
[Model(3, 32, 32, Seed = 12)]
[Reuse(typeof(TransferSourceNet))]
[Dense(1, Act = Act.Sigmoid)]
[Sgd(LearningRate = 1e-3)]
[Train(BatchSize = 32)]
public partial class CatDogOnSourceNet;

/// <summary>Model B from scratch: the same layers as <see cref="CatDogOnSourceNet"/>, all initialized afresh.</summary>
[Model(3, 32, 32, Seed = 12)]
[Standardize]
[Dense(100, Repeat = 3, Act = Act.ReLU, Init = Init.He)]
[Dense(1, Act = Act.Sigmoid)]
[Sgd(LearningRate = 1e-3)]
[Train(BatchSize = 32)]
public partial class CatDogNet;

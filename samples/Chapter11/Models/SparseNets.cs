using DslNet;

namespace DslNet.Samples.Chapter11.Models;

// The `sparsity` experiment (exercise 6): 100 features of which only a few carry the class.

/// <summary>The dense baseline (pruned after training by the experiment).</summary>
[Model(100)]
[Dense(64, Act = Act.ReLU, Init = Init.He)]
[Dense(4, Act = Act.Softmax)]
[Sgd(LearningRate = 0.02, Momentum = 0.9)]
public partial class DenseNet;

/// <summary>The same network with ℓ1 regularization on both kernels, which pushes useless weights to zero.</summary>
[Model(100)]
[Dense(64, Act = Act.ReLU, Init = Init.He, L1 = 0.01)]
[Dense(4, Act = Act.Softmax, L1 = 0.01)]
[Sgd(LearningRate = 0.02, Momentum = 0.9)]
public partial class L1Net;

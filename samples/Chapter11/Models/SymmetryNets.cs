using DslNet;

namespace DslNet.Samples.Chapter11.Models;

// The `symmetry` experiment (exercise 1): one hidden layer of 32 ReLU units on 20 features, 4 classes.

// DSL201 warns that one constant for every weight never breaks symmetry. Showing that is this model's whole purpose,
// so the warning is silenced for this one declaration.
#pragma warning disable DSL201
/// <summary>Every weight, hidden and output, starts at the same value 0.1 (biases at zero).</summary>
[Model(20)]
[Dense(32, Act = Act.ReLU, Init = Init.Constant, InitValue = 0.1)]
[Dense(4, Act = Act.Softmax, Init = Init.Constant, InitValue = 0.1)]
[Sgd(LearningRate = 0.05, Momentum = 0.9)]
public partial class ConstantInitNet;
#pragma warning restore DSL201

/// <summary>The same network with random initial weights (He for the hidden layer, Glorot for the output); biases still start at zero.</summary>
[Model(20)]
[Dense(32, Act = Act.ReLU, Init = Init.He)]
[Dense(4, Act = Act.Softmax)]
[Sgd(LearningRate = 0.05, Momentum = 0.9)]
public partial class RandomInitNet;

using DslNet;

namespace DslNet.Samples.Chapter11.Models;

// The `dropout-cost` and `mc-dropout` experiments (exercise 7): one network with and without dropout.

/// <summary>Two hidden layers of 256 ReLU units, no regularization.</summary>
[Model(40)]
[Dense(256, Act = Act.ReLU, Init = Init.He)]
[Dense(256, Act = Act.ReLU, Init = Init.He)]
[Dense(10, Act = Act.Softmax)]
[Adam(LearningRate = 1e-3)]
public partial class PlainNet;

/// <summary>The same network with dropout (rate 0.5) after each hidden layer.</summary>
[Model(40)]
[Dense(256, Act = Act.ReLU, Init = Init.He)]
[Dropout(0.5)]
[Dense(256, Act = Act.ReLU, Init = Init.He)]
[Dropout(0.5)]
[Dense(10, Act = Act.Softmax)]
[Adam(LearningRate = 1e-3)]
public partial class DropoutNet;

using DslNet;

namespace DslNet.Tests.Models;

// Models declared exactly as users declare them: the generator runs over this test project.

/// <summary>The book's exercise 8b network: 20 × Dense(100, He, Swish), softmax output.</summary>
[Model(3, 32, 32)]
[Dense(100, Repeat = 20, Act = Act.Swish, Init = Init.He)]
[Dense(10, Act = Act.Softmax)]
[Nadam(LearningRate = 5e-5)]
[EarlyStopping(Patience = 20)]
public partial class SwishNet;

/// <summary>Wide layers so initializer statistics are measured on a million weights.</summary>
// It mixes SELU with other activations on purpose (one layer per initializer) and is never trained.
#pragma warning disable DSL105, DSL106
[Model(1000)]
[Dense(1000, Act = Act.ReLU, Init = Init.He)]
[Dense(1000, Act = Act.SELU, Init = Init.LeCun)]
[Dense(1000, Act = Act.Tanh, Init = Init.Glorot)]
[Dense(1000, Act = Act.Tanh, Init = Init.GlorotNormal)]
[Dense(1000, Act = Act.ReLU, Init = Init.HeUniform)]
[Dense(10, Act = Act.Softmax)]
public partial class WideNet;
#pragma warning restore DSL105, DSL106

/// <summary>A small SELU net with standardization, alpha dropout and a learnable-swish layer.</summary>
[Model(2, 3, Seed = 3)]
[Standardize]
[Dense(8, Act = Act.SELU, Init = Init.LeCun)]
[AlphaDropout(0.1)]
[Dense(3, Act = Act.Softmax)]
public partial class SmallSeluNet;

/// <summary>A learnable-β swish layer, to check β trains.</summary>
[Model(4)]
[Dense(8, Act = Act.ParametricSwish)]
[Dense(2, Act = Act.Softmax)]
[Sgd(LearningRate = 0.1)]
public partial class ParametricSwishNet;

using DslNet;

namespace DslNet.Samples.Cifar10;

// Chapter 11, exercise 8: each part's network, declared as the book builds it in Keras.

/// <summary>Part b: 20 hidden layers of 100 neurons, He initialization and Swish, Nadam, early stopping; raw pixels.</summary>
[Model(3, 32, 32)]
[Dense(100, Repeat = 20, Act = Act.Swish, Init = Init.He)]
[Dense(10, Act = Act.Softmax)]
[Nadam(LearningRate = 5e-5)]
[EarlyStopping(Patience = 20)]
public partial class SwishNet;

/// <summary>Part c: the same network with batch normalization before each activation.</summary>
// The book's solution keeps each Dense's bias in front of its batch norm, which DSL207 points out is wasted (the norm
// subtracts it again); the declaration stays the book's so that the run compares with the book's.
#pragma warning disable DSL207
[Model(3, 32, 32)]
[Dense(100, Repeat = 20, Act = Act.Swish, Init = Init.He, BatchNorm = true)]
[Dense(10, Act = Act.Softmax)]
[Nadam(LearningRate = 5e-4)]
[EarlyStopping(Patience = 20)]
public partial class BatchNormNet;
#pragma warning restore DSL207

/// <summary>Part d: SELU with LeCun normal initialization on standardized inputs (self-normalizing).</summary>
[Model(3, 32, 32)]
[Standardize]
[Dense(100, Repeat = 20, Act = Act.SELU, Init = Init.LeCun)]
[Dense(10, Act = Act.Softmax)]
[Nadam(LearningRate = 7e-4)]
[EarlyStopping(Patience = 20)]
public partial class SeluNet;

/// <summary>Part e: the SELU network regularized with alpha dropout before the output layer.</summary>
[Model(3, 32, 32)]
[Standardize]
[Dense(100, Repeat = 20, Act = Act.SELU, Init = Init.LeCun)]
[AlphaDropout(0.1)]
[Dense(10, Act = Act.Softmax)]
[Nadam(LearningRate = 5e-4)]
[EarlyStopping(Patience = 20)]
public partial class AlphaDropoutNet;

/// <summary>Part f: the part e network retrained with plain SGD and the 1cycle schedule, 15 epochs of batches of 128.</summary>
[Model(3, 32, 32)]
[Standardize]
[Dense(100, Repeat = 20, Act = Act.SELU, Init = Init.LeCun)]
[AlphaDropout(0.1)]
[Dense(10, Act = Act.Softmax)]
[Sgd(LearningRate = 0.05)]
[OneCycle(MaxRate = 0.05)]
[Train(Epochs = 15, BatchSize = 128)]
public partial class OneCycleNet;

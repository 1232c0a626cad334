using DslNet;

namespace DslNet.Tests.Validation;

// Small models of each output kind for the input-validation, metric and convenience tests.

/// <summary>Three classes from four features.</summary>
[Model(4, Seed = 5)]
[Dense(8, Act = Act.ReLU)]
[Dense(3, Act = Act.Softmax)]
[Adam(LearningRate = 0.01)]
[Train(Epochs = 2, BatchSize = 16)]
public partial class ThreeClassNet;

/// <summary>Three classes from standardized [2, 3] samples.</summary>
[Model(2, 3, Seed = 5)]
[Standardize]
[Dense(8, Act = Act.ReLU)]
[Dense(3, Act = Act.Softmax)]
[Train(Epochs = 2, BatchSize = 16)]
public partial class StandardizedNet;

/// <summary>A binary classifier: one sigmoid unit.</summary>
[Model(4, Seed = 5)]
[Dense(8, Act = Act.ReLU)]
[Dense(1, Act = Act.Sigmoid)]
[Adam(LearningRate = 0.01)]
[Train(Epochs = 2, BatchSize = 16)]
public partial class BinaryNet;

/// <summary>A regression model with two outputs and a learning-rate schedule.</summary>
[Model(4, Seed = 5)]
[Dense(8, Act = Act.ReLU)]
[Dropout(0.2)]
[Dense(2)]
[Sgd(LearningRate = 0.01)]
[ExponentialDecay(Steps = 100)]
[Train(Epochs = 2, BatchSize = 16)]
public partial class RegressionNet;

#pragma warning disable DSL211 // on purpose: the run-time check of the same mistake
/// <summary>A regression model whose early stopping watches an accuracy it does not have.</summary>
[Model(4, Seed = 5)]
[Dense(1)]
[EarlyStopping(Monitor = Monitored.ValAccuracy, Patience = 2)]
[Train(Epochs = 5, BatchSize = 16)]
public partial class AccuracyWatchingRegressionNet;
#pragma warning restore DSL211

/// <summary>Three classes from small channels-first images.</summary>
[Model(3, 8, 8, Seed = 5)]
[Conv2D(4, 3, Act = Act.ReLU)]
[GlobalAvgPool]
[Dense(3, Act = Act.Softmax)]
[Train(Epochs = 1, BatchSize = 16)]
public partial class SmallImageNet;

/// <summary>The same on standardized images: [Standardize] sees the training features first.</summary>
[Model(3, 8, 8, Seed = 5)]
[Standardize]
[Conv2D(4, 3, Act = Act.ReLU)]
[GlobalAvgPool]
[Dense(3, Act = Act.Softmax)]
[Train(Epochs = 1, BatchSize = 16)]
public partial class StandardizedImageNet;

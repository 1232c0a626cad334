namespace DslNet.Tests.ResumeChild;

// Small declared models whose runs the resume tests kill and restart. Each uses the state a backup must carry:
// standardization statistics, batch-norm buffers, dropout (torch's global generator), Nadam's scalar state and
// ReduceOnPlateau's wait; early stopping's wait and best weights; 1cycle's position.

/// <summary>Standardization, batch norm, dropout, Nadam and performance scheduling.</summary>
// The bias before the batch norm (DSL207) and the batch norm before the dropout stay: this model exercises state, not style.
#pragma warning disable DSL207
[Model(16, Seed = 7)]
[Standardize]
[Dense(48, Act = Act.ReLU, BatchNorm = true)]
[Dropout(0.3)]
[Dense(48, Act = Act.ELU)]
[Dense(4, Act = Act.Softmax)]
[Nadam(LearningRate = 2e-3)]
[ReduceOnPlateau(Patience = 1, Factor = 0.5)]
[Train(Epochs = 8, BatchSize = 32)]
public partial class ResumeNet;
#pragma warning restore DSL207

/// <summary>Early stopping while the model learns noisy training labels by heart, so it stops after a few epochs.</summary>
[Model(16, Seed = 11)]
[Dense(256, Act = Act.ReLU)]
[Dropout(0.1)]
[Dense(256, Act = Act.ReLU)]
[Dense(4, Act = Act.Softmax)]
[Adam(LearningRate = 1e-2)]
[EarlyStopping(Patience = 5)]
[Train(Epochs = 40, BatchSize = 32)]
public partial class EarlyStopNet;

/// <summary>SGD with momentum under the book's 1cycle schedule.</summary>
[Model(16, Seed = 13)]
[Dense(48, Act = Act.ReLU)]
[Dense(48, Act = Act.ReLU)]
[Dense(4, Act = Act.Softmax)]
[Sgd(Momentum = 0.9)]
[OneCycle(MaxRate = 0.05)]
[Train(Epochs = 8, BatchSize = 32)]
public partial class OneCycleNet;

/// <summary>
/// The state of a convolutional run: flips and crops drawn from the augmentation layers' own generators, batch-norm
/// buffers after a conv, dropout (torch's global generator), Adam. The same layer kinds as the CIFAR-10 sample's cnn.
/// </summary>
[Model(3, 8, 8, Seed = 17)]
[RandomFlip]
[RandomCrop(1)]
[Conv2D(8, 3, Padding = Padding.Same, UseBias = false, BatchNorm = true, Act = Act.ReLU)]
[MaxPool(2)]
[Dropout(0.2)]
[Dense(4, Act = Act.Softmax)]
[Adam(LearningRate = 3e-3)]
[Train(Epochs = 6, BatchSize = 32)]
public partial class AugmentedConvNet;

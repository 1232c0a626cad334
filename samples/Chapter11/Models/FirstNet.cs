using DslNet;

namespace DslNet.Samples.Chapter11.Models;

/// <summary>The `fit` walk-through: the chapter's default recipe (He + ELU, batch norm, Nadam, early stopping) on synthetic data.</summary>
[Model(20)]
[Dense(64, Repeat = 3, Act = Act.ELU, Init = Init.He, BatchNorm = true, UseBias = false)]
[Dense(5, Act = Act.Softmax)]
[Nadam(LearningRate = 1e-3)]
[ExponentialDecay(Steps = 2_000)]
[EarlyStopping(Patience = 5)]
[Train(Epochs = 30, BatchSize = 32)]
public partial class FirstNet;

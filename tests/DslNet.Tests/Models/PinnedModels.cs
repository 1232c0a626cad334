using DslNet;

namespace DslNet.Tests.Models;

// Models whose seeded initial weights and first training steps are pinned bit for bit (SeededWeightsTests), so that a
// change to how the generator writes construction and initialization cannot silently change a single draw.

/// <summary>Every activation, every initializer, biases on and off, batch norm inside a Dense and standalone, penalties, max-norm, dropout.</summary>
// Mixes SELU with everything else on purpose: it exists to cover every generated construct, not to train well.
#pragma warning disable DSL101, DSL102, DSL103, DSL104, DSL106, DSL201, DSL202, DSL203
[Model(8, Name = "Zoo", Seed = 7, InputsStandardized = true)]
[Dense(16, Act = Act.Linear, Init = Init.Glorot)]
[Dense(16, Act = Act.ReLU, Init = Init.He, L2 = 1e-4)]
[Dense(16, Act = Act.LeakyReLU, Init = Init.HeUniform, Alpha = 0.2)]
[Dense(16, Act = Act.PReLU, Init = Init.He)]
[Dense(16, Act = Act.ELU, Init = Init.He, L1 = 1e-5)]
[Dense(16, Act = Act.SELU, Init = Init.LeCun)]
[Dense(16, Act = Act.GELU, Init = Init.LeCunUniform, MaxNorm = 1)]
[Dense(16, Act = Act.Swish, Init = Init.GlorotNormal, BatchNorm = true, UseBias = false)]
[Dense(16, Act = Act.ParametricSwish, Init = Init.Constant, InitValue = 0.01)]
[Dense(16, Act = Act.Mish, Init = Init.Zeros)]
[Dense(16, Act = Act.Tanh)]
[BatchNorm(Momentum = 0.9, Epsilon = 1e-5)]
[Dense(16, Act = Act.Sigmoid)]
[Dense(16, Act = Act.Softplus)]
[Activation(Act.PReLU)]
[Activation(Act.ParametricSwish)]
[Dropout(0.2)]
[Dense(3, Act = Act.Softmax)]
[Sgd(LearningRate = 0.01, Momentum = 0.9, Nesterov = true, ClipNorm = 1)]
[ExponentialDecay(Steps = 1000)]
[Train(Epochs = 5, BatchSize = 64, Shuffle = false)]
public partial class ZooNet;
#pragma warning restore DSL101, DSL102, DSL103, DSL104, DSL106, DSL201, DSL202, DSL203

/// <summary>A regression network: linear output, mean squared error, Adam with a schedule and early stopping.</summary>
// Its pinned numbers keep the bias in front of the batch norm (DSL207).
#pragma warning disable DSL207
[Model(2, 4, Seed = 11)]
[Dense(12, Act = Act.ReLU, BatchNorm = true)]
[Dense(1)]
[Adam(LearningRate = 0.01, ClipValue = 0.5)]
[ReduceOnPlateau(Patience = 1)]
[EarlyStopping(Patience = 2, Monitor = Monitored.ValLoss)]
[Train(Epochs = 3, BatchSize = 16)]
public partial class RegressionNet;
#pragma warning restore DSL207

/// <summary>A binary classifier: sigmoid output, binary cross-entropy, AdamW and the 1cycle schedule.</summary>
[Model(6, Seed = 5)]
[Dense(10, Act = Act.Tanh)]
[Dense(1, Act = Act.Sigmoid)]
[AdamW(LearningRate = 0.003)]
[OneCycle(MaxRate = 0.01)]
[Train(Epochs = 2, BatchSize = 8)]
public partial class BinaryNet;

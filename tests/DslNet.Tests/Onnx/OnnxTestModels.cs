using DslNet;

namespace DslNet.Tests.Onnx;

// Models that together use every layer kind and every activation, declared as users declare them. They are never
// trained: the ONNX tests give them random statistics and weights and compare ONNX Runtime with Predict.
#pragma warning disable DSL202, DSL203, DSL207 // DSL207: the exporter must also carry a bias that batch norm follows

/// <summary>Standardization of a multi-dimensional input, every hidden activation, a Dense's own batch norm, a standalone batch norm, dropout.</summary>
[Model(2, 3, 4)]
[Standardize]
[Dense(16, Act = Act.ReLU)]
[Dense(16, Act = Act.LeakyReLU, Alpha = 0.2)]
[Dense(16, Act = Act.PReLU)]
[Dense(16, Act = Act.ELU, Alpha = 0.5)]
[Dense(16, Act = Act.GELU, BatchNorm = true)]
[Dense(16, Act = Act.Swish)]
[Dense(16, Act = Act.ParametricSwish)]
[Dense(16, Act = Act.Mish)]
[Dense(16, Act = Act.Tanh)]
[Dense(16, Act = Act.Softplus, UseBias = false)]
[BatchNorm(Epsilon = 1e-5)]
[Activation(Act.LeakyReLU)]
[Dense(16)]
[Activation(Act.ELU)]
[Dropout(0.2)]
[Dense(5, Act = Act.Softmax)]
public partial class EveryActivationNet;

/// <summary>Standalone parametric activations after an explicit Flatten, and a one-unit sigmoid output.</summary>
[Model(3, 2)]
[Flatten]
[Dense(8)]
[Activation(Act.PReLU)]
[Dense(8)]
[Activation(Act.ParametricSwish)]
[Activation(Act.Sigmoid)]
[Dense(1, Act = Act.Sigmoid)]
public partial class StandaloneActivationNet;

/// <summary>A regression network: linear output, batch norm last.</summary>
[Model(4)]
[Dense(8, Act = Act.Tanh)]
[Dense(3)]
[BatchNorm]
public partial class LinearOutputNet;

/// <summary>Softmax as a standalone output activation layer.</summary>
[Model(4)]
[Dense(6, Act = Act.ReLU)]
[Dense(3)]
[Activation(Act.Softmax)]
public partial class SoftmaxActivationNet;
#pragma warning restore DSL202, DSL203

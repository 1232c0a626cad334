using DslNet;

namespace DslNet.Samples.Chapter11.Models;

// The `init` experiment: 50 hidden layers of 100 units, one network per activation/initializer pairing.
// A Dense(10) softmax output gives the backward pass a loss. Every model starts from the same seed.
//
// DSL206 (a deep sigmoid or tanh network without batch normalization), DSL203 (sigmoid in a hidden layer) and
// DSL202 (an initializer that does not match the activation) warn about exactly what these networks exist to show,
// so they are silenced here and only here.
#pragma warning disable DSL206, DSL203, DSL202

/// <summary>The 1990s setup the chapter starts from: sigmoid with Glorot's initialization, 50 layers deep.</summary>
[Model(100)]
[Dense(100, Repeat = 50, Act = Act.Sigmoid, Init = Init.Glorot)]
[Dense(10, Act = Act.Softmax)]
public partial class SigmoidGlorotNet;

/// <summary>tanh (zero-centred) with Glorot's initialization.</summary>
[Model(100)]
[Dense(100, Repeat = 50, Act = Act.Tanh, Init = Init.Glorot)]
[Dense(10, Act = Act.Softmax)]
public partial class TanhGlorotNet;

/// <summary>tanh with He's initialization (twice Glorot's variance here): too much for a saturating activation.</summary>
[Model(100)]
[Dense(100, Repeat = 50, Act = Act.Tanh, Init = Init.He)]
[Dense(10, Act = Act.Softmax)]
public partial class TanhHeNet;

/// <summary>ReLU with Glorot's initialization: half the variance ReLU needs.</summary>
[Model(100)]
[Dense(100, Repeat = 50, Act = Act.ReLU, Init = Init.Glorot)]
[Dense(10, Act = Act.Softmax)]
public partial class ReluGlorotNet;

/// <summary>ReLU with He's initialization, the pairing the chapter recommends.</summary>
[Model(100)]
[Dense(100, Repeat = 50, Act = Act.ReLU, Init = Init.He)]
[Dense(10, Act = Act.Softmax)]
public partial class ReluHeNet;

#pragma warning restore DSL206, DSL202

/// <summary>SELU with LeCun's initialization on standardized inputs: the self-normalizing network.</summary>
[Model(100, InputsStandardized = true)]
[Dense(100, Repeat = 50, Act = Act.SELU, Init = Init.LeCun)]
[Dense(10, Act = Act.Softmax)]
public partial class SeluLeCunNet;

using DslNet;

namespace DslNet.Samples.Chapter11.Models;

// The `momentum` experiment (exercise 5): the same small classifier trained with SGD at two momentum values.

/// <summary>SGD with the usual momentum 0.9.</summary>
[Model(20)]
[Dense(32, Act = Act.ReLU, Init = Init.He)]
[Dense(4, Act = Act.Softmax)]
[Sgd(LearningRate = 0.01, Momentum = 0.9)]
public partial class Momentum09Net;

// DSL204 warns that momentum this close to 1 overshoots and oscillates; this model is here to show it does.
#pragma warning disable DSL204
/// <summary>SGD with momentum 0.99999: almost no friction, so the velocity keeps nearly all of its past.</summary>
[Model(20)]
[Dense(32, Act = Act.ReLU, Init = Init.He)]
[Dense(4, Act = Act.Softmax)]
[Sgd(LearningRate = 0.01, Momentum = 0.99999)]
public partial class Momentum099999Net;
#pragma warning restore DSL204

using DslNet;

namespace DslNet.Benchmarks;

/// <summary>The exercise's 20×100 Swish network (Hands-On ML ch. 11, exercise 8b), declared with the DSL.</summary>
[Model(3, 32, 32)]
[Dense(100, Repeat = 20, Act = Act.Swish, Init = Init.He)]
[Dense(10, Act = Act.Softmax)]
[Nadam(LearningRate = 5e-5)]
public partial class SwishNet;

using DslNet;

[Model(4)]
[Dense(8, Act = Act.ReLU)]
[Dense(3, Act = Act.Softmax)]
[Adam]
public partial class TinyNet;

using DslNet;

// A self-normalizing network declared wrongly: He initialization (DSL101) on raw inputs (DSL105).
[Model(4)]
[Dense(8, Act = Act.SELU, Init = Init.He)]
[Dense(3, Act = Act.Softmax)]
[Adam]
public partial class SeluNet;

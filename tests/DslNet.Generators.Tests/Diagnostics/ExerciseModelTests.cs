using Xunit;
using static DslNet.Generators.Tests.Diagnostics.DiagnosticAssert;

namespace DslNet.Generators.Tests.Diagnostics;

/// <summary>
/// The chapter 11 exercise's CIFAR-10 models (parts b–f) are correct as written: no DslNet diagnostic, except DSL207 on
/// part c, whose book solution keeps each Dense's bias in front of its batch norm. The sample's CNN has none either.
/// </summary>
public sealed class ExerciseModelTests
{
    [Fact]
    public Task B_SwishWithHe() => VerifyAsync(ModelSource("""
        [Model(3, 32, 32)]
        [Dense(100, Repeat = 20, Act = Act.Swish, Init = Init.He)]
        [Dense(10, Act = Act.Softmax)]
        [Nadam(LearningRate = 5e-5)]
        [EarlyStopping(Patience = 20)]
        """));

    [Fact]
    public Task C_BatchNorm() => VerifyAsync(ModelSource("""
        [Model(3, 32, 32)]
        [{|DSL207:Dense(100, Repeat = 20, Act = Act.Swish, Init = Init.He, BatchNorm = true)|}]
        [Dense(10, Act = Act.Softmax)]
        [Nadam(LearningRate = 5e-4)]
        [EarlyStopping(Patience = 20)]
        """));

    private const string SeluStack = """
        [Model(3, 32, 32)]
        [Standardize]
        [Dense(100, Repeat = 20, Act = Act.SELU, Init = Init.LeCun)]
        """;

    [Fact]
    public Task D_Selu() => VerifyAsync(ModelSource(SeluStack + """

        [Dense(10, Act = Act.Softmax)]
        [Nadam(LearningRate = 7e-4)]
        [EarlyStopping(Patience = 20)]
        """));

    [Fact]
    public Task E_SeluWithAlphaDropout() => VerifyAsync(ModelSource(SeluStack + """

        [AlphaDropout(0.1)]
        [Dense(10, Act = Act.Softmax)]
        [Nadam(LearningRate = 5e-4)]
        [EarlyStopping(Patience = 20)]
        """));

    [Fact]
    public Task F_OneCycle() => VerifyAsync(ModelSource(SeluStack + """

        [AlphaDropout(0.1)]
        [Dense(10, Act = Act.Softmax)]
        [Sgd(LearningRate = 0.05)]
        [OneCycle(MaxRate = 0.05)]
        [Train(Epochs = 15, BatchSize = 128)]
        """));

    [Fact]
    public Task Cnn_Sample() => VerifyAsync(ModelSource(Generation.ExerciseModels.ConvNetAttributes));
}

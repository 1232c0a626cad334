using Xunit;
using static DslNet.Generators.Tests.Diagnostics.DiagnosticAssert;

namespace DslNet.Generators.Tests.Diagnostics;

/// <summary>DSL210 (output layer vs loss), DSL211 (accuracy watched without accuracy), DSL212 (layer attributes without [Model]).</summary>
public sealed class OutputLossRuleTests
{
    /// <summary>One file declaring several classes, each given as (attribute lines, class name).</summary>
    private static string Classes(params (string Attributes, string Name)[] classes) =>
        "using DslNet;\n\nnamespace Samples;\n\n" + string.Concat(classes.Select(c => $"{c.Attributes}\npublic partial class {c.Name}\n{{\n}}\n\n"));

    [Fact]
    public async Task DSL210_OneUnitSoftmax()
    {
        var diagnostics = await VerifyAsync(ModelSource("[Model(8)]\n[Dense(30, Act = Act.ReLU)]\n[Dense(1, {|DSL210:Act = Act.Softmax|})]"));
        Assert.StartsWith("layer 2 (Dense 1, Softmax) is the output layer, and a softmax over 1 unit always outputs 1", diagnostics.Single("DSL210").GetMessage());
    }

    [Fact]
    public async Task DSL210_BinaryCrossEntropyOnAThreeUnitSoftmax()
    {
        var diagnostics = await VerifyAsync(ModelSource(
            "[Model(8)]\n[Dense(30, Act = Act.ReLU)]\n[Dense(3, {|DSL210:Act = Act.Softmax|})]\n[Loss(LossKind.BinaryCrossEntropy)]"));
        Assert.StartsWith("layer 2 (Dense 3, Softmax) is the output layer, and binary cross-entropy treats each of the 3 softmax outputs", diagnostics.Single("DSL210").GetMessage());
    }

    [Fact]
    public Task DSL210_CategoricalLossOnALinearOutput() => VerifyAsync(ModelSource(
        "[Model(8)]\n[Dense(30, Act = Act.ReLU)]\n[{|DSL210:Dense(10)|}]\n[Loss(LossKind.SparseCategoricalCrossEntropy)]"));

    [Fact]
    public Task DSL210_CategoricalLossOnASigmoidActivationLayer() => VerifyAsync(ModelSource(
        "[Model(8)]\n[Dense(30, Act = Act.ReLU)]\n[Dense(10)]\n[Activation({|DSL210:Act.Sigmoid|})]\n[Loss(LossKind.SparseCategoricalCrossEntropy)]"));

    [Fact]
    public Task DSL210_BinaryCrossEntropyOnALinearOutput() => VerifyAsync(ModelSource(
        "[Model(8)]\n[{|DSL210:Dense(1)|}]\n[Loss(LossKind.BinaryCrossEntropy)]"));

    [Fact]
    public Task DSL210_NotForTheMatchingPairs() => VerifyAsync(Classes(
        ("[Model(8)]\n[Dense(30, Act = Act.ReLU)]\n[Dense(2, Act = Act.Softmax)]", "TwoClasses"),
        ("[Model(8)]\n[Dense(1, Act = Act.Sigmoid)]\n[Loss(LossKind.BinaryCrossEntropy)]", "Binary"),
        ("[Model(8)]\n[Dense(4, Act = Act.Sigmoid)]", "MultiLabel"),
        ("[Model(8)]\n[Dense(3)]\n[Dropout(0.2)]\n[Activation(Act.Softmax)]", "SoftmaxAfterDense"),
        ("[Model(8)]\n[Dense(1)]\n[Loss(LossKind.Huber)]", "Regression")));

    [Fact]
    public async Task DSL211_EarlyStoppingOnValAccuracyForARegressionModel()
    {
        var diagnostics = await VerifyAsync(ModelSource("[Model(8)]\n[Dense(30, Act = Act.ReLU)]\n[Dense(1)]\n[EarlyStopping({|DSL211:Monitor = Monitored.ValAccuracy|}, Patience = 5)]"));
        Assert.Equal(
            "[EarlyStopping] watches ValAccuracy, but model 'Net' minimizes mean squared error and has no accuracy, so it never improves; monitor Monitored.ValLoss",
            diagnostics.Single("DSL211").GetMessage());
    }

    [Fact]
    public Task DSL211_ReduceOnPlateauOnValAccuracyWithMae() => VerifyAsync(ModelSource(
        "[Model(8)]\n[Dense(1)]\n[Loss(LossKind.MeanAbsoluteError)]\n[ReduceOnPlateau({|DSL211:Monitor = Monitored.ValAccuracy|})]"));

    [Fact]
    public Task DSL211_NotForAClassifierOrValLoss() => VerifyAsync(Classes(
        ("[Model(8)]\n[Dense(3, Act = Act.Softmax)]\n[EarlyStopping(Monitor = Monitored.ValAccuracy)]", "Classifier"),
        ("[Model(8)]\n[Dense(1, Act = Act.Sigmoid)]\n[ReduceOnPlateau(Monitor = Monitored.ValAccuracy)]", "Binary"),
        ("[Model(8)]\n[Dense(1)]\n[EarlyStopping(Monitor = Monitored.ValLoss)]", "Regression")));

    [Fact]
    public async Task DSL212_LayerAttributesWithoutModel()
    {
        var diagnostics = await VerifyAsync(ModelSource("[{|DSL212:Dense(30, Act = Act.ReLU)|}]\n[Dense(1)]\n[Dropout(0.5)]\n[Adam]"));
        Assert.Equal(
            "'Net' has DslNet layer attributes ([Dense], [Dropout]) but no [Model], so nothing is generated for it; add [Model(…)] with the input shape, or remove the attributes",
            diagnostics.Single("DSL212").GetMessage());
    }

    [Fact]
    public Task DSL212_NotWithModelOrWithoutLayers() => VerifyAsync(Classes(
        ("[Model(8)]\n[Dense(1)]", "Net"),
        ("[Adam]\n[Train(Epochs = 3)]", "NoLayers"),
        ("[System.Serializable]", "Plain")));
}

using DslNet.Generators.Model;
using DslNet.Generators.Parsing;
using DslNet.Generators.Tests.Infrastructure;
using Xunit;

namespace DslNet.Generators.Tests.Generation;

/// <summary>
/// The defaults of the attributes' arguments have one source, <c>KerasDefaults</c>, compiled into the runtime and linked
/// into the generator. These tests tie the runtime attributes' initializers to the generator's copy, and the parser's
/// reading of an omitted argument to the attribute's own default.
/// </summary>
public class KerasDefaultsTests
{
    public static TheoryData<string, double, double> AttributeInitializers => new()
    {
        { "Model.Seed", new ModelAttribute(4).Seed, KerasDefaults.Seed },
        { "Train.Epochs", new TrainAttribute().Epochs, KerasDefaults.Epochs },
        { "Train.BatchSize", new TrainAttribute().BatchSize, KerasDefaults.BatchSize },
        { "Train.Shuffle", Bit(new TrainAttribute().Shuffle), Bit(KerasDefaults.Shuffle) },
        { "Sgd.LearningRate", new SgdAttribute().LearningRate, KerasDefaults.SgdLearningRate },
        { "Sgd.EmaMomentum", new SgdAttribute().EmaMomentum, KerasDefaults.EmaMomentum },
        { "Adam.LearningRate", new AdamAttribute().LearningRate, KerasDefaults.LearningRate },
        { "Nadam.Beta1", new NadamAttribute().Beta1, KerasDefaults.Beta1 },
        { "Nadam.Beta2", new NadamAttribute().Beta2, KerasDefaults.Beta2 },
        { "Nadam.Epsilon", new NadamAttribute().Epsilon, KerasDefaults.OptimizerEpsilon },
        { "AdamW.WeightDecay", new AdamWAttribute().WeightDecay, KerasDefaults.WeightDecay },
        { "RmsProp.Rho", new RmsPropAttribute().Rho, KerasDefaults.Rho },
        { "RmsProp.Epsilon", new RmsPropAttribute().Epsilon, KerasDefaults.OptimizerEpsilon },
        { "AdaGrad.InitialAccumulator", new AdaGradAttribute().InitialAccumulator, KerasDefaults.InitialAccumulator },
        { "AdaGrad.Epsilon", new AdaGradAttribute().Epsilon, KerasDefaults.OptimizerEpsilon },
        { "BatchNorm.Momentum", new BatchNormAttribute().Momentum, KerasDefaults.BatchNormMomentum },
        { "BatchNorm.Epsilon", new BatchNormAttribute().Epsilon, KerasDefaults.BatchNormEpsilon },
        { "EarlyStopping.Patience", new EarlyStoppingAttribute().Patience, KerasDefaults.EarlyStoppingPatience },
        { "EarlyStopping.RestoreBestWeights", Bit(new EarlyStoppingAttribute().RestoreBestWeights), Bit(KerasDefaults.RestoreBestWeights) },
        { "ExponentialDecay.Steps", new ExponentialDecayAttribute().Steps, KerasDefaults.DecaySteps },
        { "PowerDecay.Steps", new PowerDecayAttribute().Steps, KerasDefaults.DecaySteps },
        { "PowerDecay.Power", new PowerDecayAttribute().Power, KerasDefaults.DecayPower },
        { "ReduceOnPlateau.Factor", new ReduceOnPlateauAttribute().Factor, KerasDefaults.PlateauFactor },
        { "ReduceOnPlateau.Patience", new ReduceOnPlateauAttribute().Patience, KerasDefaults.PlateauPatience },
    };

    [Theory]
    [MemberData(nameof(AttributeInitializers))]
    public void Runtime_attribute_initializer_is_the_generator_default(string argument, double runtime, double generator)
    {
        Assert.True(runtime == generator, $"{argument}: the runtime attribute says {runtime}, the generator {generator}");
    }

    [Fact]
    public void The_parser_reads_omitted_arguments_as_the_attributes_defaults()
    {
        var nadam = Parse("[Model(4)]\n[Dense(3, BatchNorm = true)]\n[BatchNorm]\n[Dense(2, Act = Act.Softmax)]\n[Nadam]\n[EarlyStopping]\n[ReduceOnPlateau]");
        var layer = new BatchNormAttribute();
        Assert.All(nadam.Layers.Where(l => l.BatchNorm || l.Kind == LayerKind.BatchNorm), l => Assert.Equal((layer.Momentum, layer.Epsilon), (l.Momentum, l.Epsilon)));
        var adam = new NadamAttribute();
        Assert.Equal((adam.LearningRate, adam.Beta1, adam.Beta2, adam.Epsilon), (nadam.Optimizer.LearningRate, nadam.Optimizer.Beta1, nadam.Optimizer.Beta2, nadam.Optimizer.Epsilon));
        var stopping = new EarlyStoppingAttribute();
        Assert.Equal((stopping.Patience, stopping.MinDelta, stopping.RestoreBestWeights), (nadam.EarlyStopping!.Patience, nadam.EarlyStopping.MinDelta, nadam.EarlyStopping.RestoreBestWeights));
        var plateau = new ReduceOnPlateauAttribute();
        Assert.Equal((plateau.Factor, plateau.Patience, plateau.MinRate), (nadam.Schedule!.Factor, nadam.Schedule.Patience, nadam.Schedule.MinRate));
        var model = new ModelAttribute(4);
        var train = new TrainAttribute();
        Assert.Equal((model.Seed, train.Epochs, train.BatchSize, train.Shuffle), (nadam.Seed, nadam.Train.Epochs, nadam.Train.BatchSize, nadam.Train.Shuffle));

        var rms = Parse("[Model(4)]\n[Dense(1)]\n[ExponentialDecay]").Optimizer;
        var rmsDefaults = new RmsPropAttribute();
        Assert.Equal((rmsDefaults.LearningRate, rmsDefaults.Rho, rmsDefaults.Momentum, rmsDefaults.Epsilon), (rms.LearningRate, rms.Rho, rms.Momentum, rms.Epsilon));

        var sgd = Parse("[Model(4)]\n[Dense(1)]\n[Sgd]").Optimizer;
        Assert.Equal((new SgdAttribute().LearningRate, new SgdAttribute().Momentum), (sgd.LearningRate, sgd.Momentum));

        var adaGrad = Parse("[Model(4)]\n[Dense(1)]\n[AdaGrad]\n[PowerDecay]");
        var adaGradDefaults = new AdaGradAttribute();
        Assert.Equal((adaGradDefaults.LearningRate, adaGradDefaults.InitialAccumulator, adaGradDefaults.Epsilon), (adaGrad.Optimizer.LearningRate, adaGrad.Optimizer.InitialAccumulator, adaGrad.Optimizer.Epsilon));
        Assert.Equal((new PowerDecayAttribute().Steps, new PowerDecayAttribute().Power), (adaGrad.Schedule!.Steps, adaGrad.Schedule.Power));

        var adamW = Parse("[Model(4)]\n[Dense(1)]\n[AdamW]").Optimizer;
        Assert.Equal(new AdamWAttribute().WeightDecay, adamW.WeightDecay);
    }

    private static double Bit(bool value) => value ? 1 : 0;

    private static ModelSpec Parse(string attributes)
    {
        var compilation = GeneratorHarness.Compile("using DslNet;\n\nnamespace Samples;\n\n" + attributes + "\npublic partial class Net;\n");
        var type = compilation.GetTypeByMetadataName("Samples.Net")!;
        var parsed = ModelParser.Parse(type, CancellationToken.None);
        Assert.DoesNotContain(parsed.Diagnostics, d => d.IsError);
        return parsed.Model!;
    }
}

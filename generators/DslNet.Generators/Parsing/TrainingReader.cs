using System.Collections.Immutable;
using System.Linq;
using DslNet.Generators.Helpers;
using DslNet.Generators.Kinds;
using DslNet.Generators.Model;

namespace DslNet.Generators.Parsing;

/// <summary>Reads the optimizer, schedule, early-stopping and training attributes with Keras' defaults; checks ranges (DSL002).</summary>
internal static class TrainingReader
{
    public static OptimizerSpec ReadOptimizer(AttributeReader reader, OptimizerKind kind)
    {
        var defaultRate = kind == OptimizerKind.Sgd ? KerasDefaults.SgdLearningRate : KerasDefaults.LearningRate;
        var rate = reader.Double("LearningRate", defaultRate);
        reader.Require(rate > 0 && !double.IsInfinity(rate), "LearningRate", rate, "greater than 0");
        var clipNorm = reader.Double("ClipNorm", 0);
        var clipValue = reader.Double("ClipValue", 0);
        reader.Require(clipNorm >= 0 && !double.IsInfinity(clipNorm), "ClipNorm", clipNorm, "≥ 0 (0 = off)");
        reader.Require(clipValue >= 0 && !double.IsInfinity(clipValue), "ClipValue", clipValue, "≥ 0 (0 = off)");
        var emaMomentum = reader.Double("EmaMomentum", KerasDefaults.EmaMomentum);
        reader.Require(emaMomentum >= 0 && emaMomentum < 1, "EmaMomentum", emaMomentum, "in [0, 1) (Keras' ema_momentum; 0.99 by default)");
        var spec = new OptimizerSpec(kind, rate)
        {
            DeclarationIndex = reader.Index,
            ClipNorm = clipNorm,
            ClipValue = clipValue,
            UseEma = reader.Bool("UseEma", false),
            EmaMomentum = emaMomentum,
        };

        switch (kind)
        {
            case OptimizerKind.Sgd:
                var momentum = reader.Double("Momentum", 0);
                reader.Require(momentum >= 0 && momentum < 1, "Momentum", momentum, "in [0, 1) (at 1 or more the velocity never decays and training diverges: use 0.9)");

                return spec with { Momentum = momentum, Nesterov = reader.Bool("Nesterov", false) };
            case OptimizerKind.RmsProp:
                var rho = reader.Double("Rho", KerasDefaults.Rho);
                var rmsMomentum = reader.Double("Momentum", 0);
                reader.Require(rho >= 0 && rho < 1, "Rho", rho, "in [0, 1)");
                reader.Require(rmsMomentum >= 0 && rmsMomentum < 1, "Momentum", rmsMomentum, "in [0, 1)");
                return spec with { Rho = rho, Momentum = rmsMomentum, Epsilon = Epsilon(reader) };
            case OptimizerKind.AdaGrad:
                var accumulator = reader.Double("InitialAccumulator", KerasDefaults.InitialAccumulator);
                reader.Require(accumulator >= 0 && !double.IsInfinity(accumulator), "InitialAccumulator", accumulator, "≥ 0");
                return spec with { InitialAccumulator = accumulator, Epsilon = Epsilon(reader) };
            default:
                var beta1 = reader.Double("Beta1", KerasDefaults.Beta1);
                var beta2 = reader.Double("Beta2", KerasDefaults.Beta2);
                reader.Require(beta1 >= 0 && beta1 < 1, "Beta1", beta1, "in [0, 1)");
                reader.Require(beta2 >= 0 && beta2 < 1, "Beta2", beta2, "in [0, 1)");
                spec = spec with { Beta1 = beta1, Beta2 = beta2, Epsilon = Epsilon(reader) };
                if (kind == OptimizerKind.AdamW)
                {
                    var decay = reader.Double("WeightDecay", KerasDefaults.WeightDecay);
                    reader.Require(decay >= 0 && !double.IsInfinity(decay), "WeightDecay", decay, "≥ 0");
                    spec = spec with { WeightDecay = decay };
                }

                return spec;
        }
    }

    public static ScheduleSpec ReadSchedule(AttributeReader reader, ScheduleKind kind)
    {
        var spec = new ScheduleSpec(kind, reader.Index);
        switch (kind)
        {
            case ScheduleKind.OneCycle:
                var max = reader.Double("MaxRate", 0);
                var start = reader.Double("StartRate", 0);
                var last = reader.Double("LastRate", 0);
                var lastIterations = reader.Int("LastIterations", 0);
                reader.Require(max > 0 && !double.IsInfinity(max), "MaxRate", max, "greater than 0 (the peak learning rate, e.g. MaxRate = 0.05)");
                reader.Require(start >= 0 && (max <= 0 || start < max), "StartRate", start, "≥ 0 and below MaxRate (0 = MaxRate / 10)");
                reader.Require(last >= 0 && !double.IsInfinity(last), "LastRate", last, "≥ 0 (0 = StartRate / 1000)");
                reader.Require(lastIterations >= 0, "LastIterations", lastIterations, "≥ 0 (0 = iterations / 10 + 1)");
                return spec with { MaxRate = max, StartRate = start, LastRate = last, LastIterations = lastIterations };
            case ScheduleKind.ExponentialDecay:
                return spec with { Steps = Steps(reader) };
            case ScheduleKind.PowerDecay:
                var power = reader.Double("Power", KerasDefaults.DecayPower);
                reader.Require(power > 0 && !double.IsInfinity(power), "Power", power, "greater than 0");
                return spec with { Steps = Steps(reader), Power = power };
            case ScheduleKind.PiecewiseConstant:
                var boundaries = reader.PositionalInts(0);
                var rates = reader.PositionalDoubles(1);
                reader.Require(rates.Length == boundaries.Length + 1, "rates", rates, $"one more rate than boundaries ({boundaries.Length + 1})", 1);
                reader.Require(boundaries.All(b => b > 0) && boundaries.Zip(boundaries.Skip(1), (a, b) => a < b).All(x => x), "boundaries", boundaries, "increasing epochs greater than 0", 0);
                reader.Require(rates.All(r => r > 0 && !double.IsInfinity(r)), "rates", rates, "rates greater than 0", 1);
                return spec with { Boundaries = boundaries.ToEquatableArray(), Rates = rates.ToEquatableArray() };
            default:
                var factor = reader.Double("Factor", KerasDefaults.PlateauFactor);
                var patience = reader.Int("Patience", KerasDefaults.PlateauPatience);
                var minRate = reader.Double("MinRate", 0);
                reader.Require(factor > 0 && factor < 1, "Factor", factor, "in (0, 1)");
                reader.Require(patience >= 0, "Patience", patience, "≥ 0");
                reader.Require(minRate >= 0 && !double.IsInfinity(minRate), "MinRate", minRate, "≥ 0");
                return spec with { Monitor = reader.Enum("Monitor", Monitored.ValLoss), Factor = factor, Patience = patience, MinRate = minRate };
        }
    }

    public static EarlyStoppingSpec ReadEarlyStopping(AttributeReader reader)
    {
        var patience = reader.Int("Patience", KerasDefaults.EarlyStoppingPatience);
        var minDelta = reader.Double("MinDelta", 0);
        reader.Require(patience >= 0, "Patience", patience, "≥ 0");
        reader.Require(minDelta >= 0 && !double.IsInfinity(minDelta), "MinDelta", minDelta, "≥ 0");
        return new EarlyStoppingSpec(reader.Enum("Monitor", Monitored.ValLoss), patience, minDelta, reader.Bool("RestoreBestWeights", KerasDefaults.RestoreBestWeights), reader.Index);
    }

    /// <summary>
    /// [TestTimeAugmentation]: Translate ≥ 0 and not a no-op (DSL002); an image input (C, H, W) larger than the shift, which
    /// reflect padding needs (DSL006). <paramref name="inputShape"/> is empty when [Model]'s shape is itself invalid.
    /// </summary>
    public static TestTimeAugmentationSpec ReadTestTimeAugmentation(AttributeReader reader, ImmutableArray<int> inputShape)
    {
        var flip = reader.Bool("Flip", true);
        var translate = reader.Int("Translate", 0);
        if (reader.Require(translate >= 0, "Translate", translate, "≥ 0 (the shift in pixels; 0 = none)"))
        {
            reader.Require(flip || translate > 0, "Flip", false, "true when Translate is 0: with neither a flip nor a shift there is no copy to average");
        }

        const string Site = "[TestTimeAugmentation]";
        if (inputShape.IsDefaultOrEmpty)
        {
            // [Model]'s own DSL002 says what is wrong with the shape.
        }
        else if (inputShape.Length != 3)
        {
            reader.Report(DiagnosticInfo.Create(DiagnosticDescriptors.LayerShape, new DiagnosticSite(reader.Index), Site, WindowShapes.ShapeText(inputShape),
                "it averages over flipped and shifted copies of an image, and needs a [Model(C, H, W)] input"));
        }
        else if (translate >= System.Math.Min(inputShape[1], inputShape[2]))
        {
            reader.Report(DiagnosticInfo.Create(DiagnosticDescriptors.LayerShape, new DiagnosticSite(reader.Index, "Translate"), Site, WindowShapes.ShapeText(inputShape),
                $"Translate = {translate} reflect-pads the image by {translate}, which needs a shift smaller than its height and width"));
        }

        return new TestTimeAugmentationSpec(flip, translate, reader.Index);
    }

    public static TrainSpec ReadTrain(AttributeReader reader)
    {
        var epochs = reader.Int("Epochs", KerasDefaults.Epochs);
        var batchSize = reader.Int("BatchSize", KerasDefaults.BatchSize);
        reader.Require(epochs >= 1, "Epochs", epochs, "at least 1");
        reader.Require(batchSize >= 1, "BatchSize", batchSize, "at least 1");
        return new TrainSpec(epochs, batchSize, reader.Bool("Shuffle", KerasDefaults.Shuffle), reader.Index);
    }

    private static double Epsilon(AttributeReader reader)
    {
        var epsilon = reader.Double("Epsilon", KerasDefaults.OptimizerEpsilon);
        reader.Require(epsilon > 0 && !double.IsInfinity(epsilon), "Epsilon", epsilon, "greater than 0");
        return epsilon;
    }

    private static int Steps(AttributeReader reader)
    {
        var steps = reader.Int("Steps", KerasDefaults.DecaySteps);
        reader.Require(steps >= 1, "Steps", steps, "at least 1");
        return steps;
    }
}

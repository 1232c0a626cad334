using DslNet.Generators.Helpers;
using DslNet.Generators.Model;

namespace DslNet.Generators.Parsing;

/// <summary>A layer attribute as written: a layer template and how many times it repeats.</summary>
internal sealed record DeclaredLayer(LayerSpec Template, int Repeat, int Position);

/// <summary>Reads one layer attribute and checks its argument ranges (DSL002).</summary>
internal static class LayerReader
{
    /// <summary>The largest <c>Repeat</c>: more identical layers than any trainable network has, and each one is generated code.</summary>
    private const int MaxRepeat = 1000;

    public static DeclaredLayer Read(AttributeReader reader, int index)
    {
        var template = new LayerSpec(KindOf(reader.Name), string.Empty, reader.Index, EquatableArray<int>.Empty, EquatableArray<int>.Empty)
        {
            Position = index + 1,
        };
        var repeat = 1;

        // Every layer attribute with weights has Trainable (Dense, BatchNorm; Conv2D gets it the same way).
        template = template with { Frozen = !reader.Bool("Trainable", true) };
        switch (template.Kind)
        {
            case LayerKind.Dense:
                var units = reader.PositionalInt(0, 1);
                reader.Require(units >= 1, "units", units, "at least 1", 0);
                repeat = reader.Int("Repeat", 1);
                reader.Require(repeat >= 1, "Repeat", repeat, "at least 1");
                reader.Require(repeat <= MaxRepeat, "Repeat", repeat, $"at most {MaxRepeat}");
                repeat = repeat > MaxRepeat ? 1 : repeat; // an error already; never unroll a runaway count into the compiler
                template = ReadWeighted(reader, template) with { Units = units };
                break;
            case LayerKind.Conv2D:
                var filters = reader.PositionalInt(0, 1);
                var kernel = reader.PositionalInt(1, 1);
                reader.Require(filters >= 1, "filters", filters, "at least 1", 0);
                reader.Require(kernel >= 1, "kernel", kernel, "at least 1", 1);
                repeat = reader.Int("Repeat", 1);
                reader.Require(repeat >= 1, "Repeat", repeat, "at least 1");
                reader.Require(repeat <= MaxRepeat, "Repeat", repeat, $"at most {MaxRepeat}");
                repeat = repeat > MaxRepeat ? 1 : repeat; // an error already; never unroll a runaway count into the compiler
                var stride = reader.Int("Stride", 1);
                var dilation = reader.Int("Dilation", 1);
                reader.Require(stride >= 1, "Stride", stride, "at least 1");
                reader.Require(dilation >= 1, "Dilation", dilation, "at least 1");
                template = ReadWeighted(reader, template) with
                {
                    Units = filters,
                    Kernel = kernel,
                    Stride = stride,
                    Dilation = dilation,
                    Padding = reader.Enum("Padding", Padding.Valid),
                };
                break;
            case LayerKind.MaxPool:
            case LayerKind.AvgPool:
                var size = reader.PositionalInt(0, 1);
                reader.Require(size >= 1, "size", size, "at least 1", 0);
                var poolStride = reader.Int("Stride", 0);
                reader.Require(poolStride >= 0, "Stride", poolStride, "at least 1 (or 0 for the window size)");
                template = template with
                {
                    Kernel = size,
                    Stride = poolStride <= 0 ? System.Math.Max(size, 1) : poolStride,
                    Padding = reader.Enum("Padding", Padding.Valid),
                };
                break;
            case LayerKind.RandomCrop:
                var cropPadding = reader.PositionalInt(0, 0);
                reader.Require(cropPadding >= 1, "padding", cropPadding, "at least 1", 0);
                template = template with { CropPadding = cropPadding };
                break;
            case LayerKind.BatchNorm:
                var momentum = reader.Double("Momentum", KerasDefaults.BatchNormMomentum);
                var epsilon = reader.Double("Epsilon", KerasDefaults.BatchNormEpsilon);
                reader.Require(momentum >= 0 && momentum < 1, "Momentum", momentum, "in [0, 1) (Keras meaning: the moving average keeps this fraction)");
                reader.Require(epsilon > 0 && !double.IsInfinity(epsilon), "Epsilon", epsilon, "greater than 0");
                template = template with { Momentum = momentum, Epsilon = epsilon };
                break;
            case LayerKind.Activation:
                var activationAlpha = reader.Double("Alpha", double.NaN);
                reader.Require(double.IsNaN(activationAlpha) || (activationAlpha >= 0 && !double.IsInfinity(activationAlpha)), "Alpha", activationAlpha, "a finite value ≥ 0");
                template = template with { Act = reader.PositionalEnum(0, "act", Act.Linear), Alpha = activationAlpha };
                break;
            case LayerKind.Dropout:
            case LayerKind.AlphaDropout:
                var rate = reader.PositionalDouble(0, 0);
                reader.Require(rate >= 0 && rate < 1, "rate", rate, "in [0, 1)", 0);
                template = template with { Rate = rate };
                break;
        }

        return new DeclaredLayer(template, repeat, index + 1);
    }

    /// <summary>The arguments a Dense and a Conv2D share: activation, initializer, bias, batch norm, regularization.</summary>
    private static LayerSpec ReadWeighted(AttributeReader reader, LayerSpec template)
    {
        var l1 = reader.Double("L1", 0);
        var l2 = reader.Double("L2", 0);
        var maxNorm = reader.Double("MaxNorm", 0);
        var initValue = reader.Double("InitValue", 0);
        var alpha = reader.Double("Alpha", double.NaN);
        reader.Require(l1 >= 0 && !double.IsInfinity(l1), "L1", l1, "a finite value ≥ 0");
        reader.Require(l2 >= 0 && !double.IsInfinity(l2), "L2", l2, "a finite value ≥ 0");
        reader.Require(maxNorm >= 0 && !double.IsInfinity(maxNorm), "MaxNorm", maxNorm, "a finite value ≥ 0 (0 = off)");
        reader.Require(!double.IsNaN(initValue) && !double.IsInfinity(initValue), "InitValue", initValue, "a finite number");
        reader.Require(double.IsNaN(alpha) || (alpha >= 0 && !double.IsInfinity(alpha)), "Alpha", alpha, "a finite value ≥ 0");
        var declaredInit = reader.Enum("Init", Init.Auto);
        var act = reader.Enum("Act", Act.Linear);
        return template with
        {
            Act = act,
            DeclaredInit = declaredInit,
            Init = NetworkFacts.ResolveInit(declaredInit, act),
            InitValue = initValue,
            UseBias = reader.Bool("UseBias", true),
            BatchNorm = reader.Bool("BatchNorm", false),
            L1 = l1,
            L2 = l2,
            MaxNorm = maxNorm,
            Alpha = alpha,
        };
    }

    private static LayerKind KindOf(string name) => name switch
    {
        "Standardize" => LayerKind.Standardize,
        "Flatten" => LayerKind.Flatten,
        "Dense" => LayerKind.Dense,
        "BatchNorm" => LayerKind.BatchNorm,
        "Activation" => LayerKind.Activation,
        "Dropout" => LayerKind.Dropout,
        "Conv2D" => LayerKind.Conv2D,
        "MaxPool" => LayerKind.MaxPool,
        "AvgPool" => LayerKind.AvgPool,
        "GlobalAvgPool" => LayerKind.GlobalAvgPool,
        "RandomFlip" => LayerKind.RandomFlip,
        "RandomCrop" => LayerKind.RandomCrop,
        _ => LayerKind.AlphaDropout,
    };
}

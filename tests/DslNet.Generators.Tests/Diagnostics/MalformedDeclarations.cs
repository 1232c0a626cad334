using System.Globalization;
using System.Text;

namespace DslNet.Generators.Tests.Diagnostics;

/// <summary>
/// A deterministic corpus of malformed and partial model declarations (and, for contrast, well-formed random ones): random and out-of-range arguments, missing
/// arguments, wrong types, misspelled names, wrong declaration shapes and unfinished code. Case <c>n</c> is always
/// the same source (seeded per case), so a failure names a reproducible declaration.
/// </summary>
internal static class MalformedDeclarations
{
    public const int Count = 240;

    private const int Seed = 20_110_311;

    internal static readonly string[] Acts =
    {
        "Act.Linear", "Act.ReLU", "Act.LeakyReLU", "Act.PReLU", "Act.ELU", "Act.SELU", "Act.GELU", "Act.Swish",
        "Act.ParametricSwish", "Act.Mish", "Act.Tanh", "Act.Sigmoid", "Act.Softplus", "Act.Softmax",
        "(Act)99", "(Act)(-1)", "Act.Selu", "3", "\"relu\"", "null", "default",
    };

    internal static readonly string[] Inits =
    {
        "Init.Auto", "Init.He", "Init.HeUniform", "Init.LeCun", "Init.LeCunUniform", "Init.Glorot", "Init.GlorotNormal",
        "Init.Zeros", "Init.Constant", "(Init)42", "Init.Xavier", "Act.ReLU",
    };

    internal static readonly string[] Numbers =
    {
        "0", "1", "-1", "2", "10", "100", "0.5", "1.0", "0.999", "1e-3", "-0.1", "2147483647", "-2147483648",
        "double.NaN", "double.PositiveInfinity", "1e308", "\"ten\"", "null", "true", "'x'", "1L << 40",
    };

    private static readonly string[] Shapes =
    {
        "3, 32, 32", "8", "", "0", "-1", "3, 0, 32", "new int[0]", "null", "100000, 100000, 100000", "1, 1", "\"3\"",
        "new[] { 4, 4 }", "3, 32, 32, Name = \"\"", "8, Seed = -1", "8, InputsStandardized = true", "8, Nmae = \"x\"",
    };

    private static readonly string[] Trainers =
    {
        "Sgd", "Adam", "AdamW", "AdaMax", "Nadam", "RmsProp", "AdaGrad", "OneCycle", "ExponentialDecay", "PowerDecay",
        "ReduceOnPlateau", "EarlyStopping", "Train", "Loss", "PiecewiseConstant",
    };

    private static readonly string[] TrainerArguments =
    {
        "LearningRate", "Momentum", "Nesterov", "Beta1", "Beta2", "Epsilon", "Rho", "WeightDecay", "ClipNorm", "ClipValue",
        "MaxRate", "StartRate", "LastRate", "LastIterations", "Steps", "Power", "Factor", "Patience", "MinRate", "MinDelta",
        "Epochs", "BatchSize", "Shuffle", "Monitor", "RestoreBestWeights", "LernRate",
    };

    internal static readonly string[] Shells =
    {
        "public partial class Net\n{\n}\n",
        "public class Net\n{\n}\n",
        "public partial class Net<T>\n{\n}\n",
        "public partial struct Net\n{\n}\n",
        "public partial record Net(int X);\n",
        "public static partial class Net\n{\n}\n",
        "public abstract partial class Net\n{\n}\n",
        "public partial interface Net\n{\n}\n",
        "public partial class Net;\n",
        "public partial class Net : System.IDisposable\n{\n}\n",
        "public partial class Net\n{\n    public int Forward;\n}\n",
    };

    /// <summary>The source of case <paramref name="index"/>.</summary>
    public static string Case(int index)
    {
        var random = new Random(Seed + index);
        if (index % 6 >= 4)
        {
            // A third of the corpus is well-formed with random valid values: the rules and the emitter's paths.
            return Wrap(random, Plausible(random), Shells[0]);
        }

        var attributes = Attributes(random);
        var source = (index % 6) switch
        {
            0 => Wrap(random, attributes, Pick(random, Shells)),
            1 => Nested(random, attributes),
            2 => Wrap(random, attributes, Shells[0]) + Wrap(random, Layer(random), Shells[0]),
            _ => Wrap(random, attributes, random.Next(3) == 0 ? Pick(random, Shells) : Shells[0]),
        };

        // One case in five is unfinished: cut off anywhere after the usings.
        return random.Next(5) == 0 ? source.Substring(0, random.Next(14, source.Length)) : source;
    }

    private static string Attributes(Random random)
    {
        var lines = new List<string>();
        if (random.Next(12) != 0)
        {
            lines.Add(random.Next(8) == 0 ? "[Modle(3)]" : $"[Model({Pick(random, Shapes)})]");
        }

        for (var i = random.Next(0, 7); i > 0; i--)
        {
            lines.Add(Layer(random));
        }

        for (var i = random.Next(0, 4); i > 0; i--)
        {
            lines.Add(Trainer(random));
        }

        // Shuffle a little: attribute order is layer order, and [Model] need not come first.
        if (lines.Count > 1 && random.Next(4) == 0)
        {
            var a = random.Next(lines.Count);
            var b = random.Next(lines.Count);
            (lines[a], lines[b]) = (lines[b], lines[a]);
        }

        return string.Join("\n", lines);
    }

    private static string Plausible(Random random)
    {
        var validActs = Acts.Take(14).ToArray();
        var validInits = Inits.Take(9).ToArray();
        var lines = new List<string> { $"[Model({Pick(random, new[] { "3, 32, 32", "8", "2, 5", "8, InputsStandardized = true" })})]" };
        if (random.Next(3) == 0)
        {
            lines.Add("[Standardize]");
        }

        for (var i = random.Next(1, 6); i > 0; i--)
        {
            lines.Add(random.Next(6) switch
            {
                0 => $"[Dropout({Rate(random)})]",
                1 => $"[AlphaDropout({Rate(random)})]",
                2 => $"[Activation({Pick(random, validActs)})]",
                3 => "[BatchNorm]",
                _ => $"[Dense({random.Next(1, 64)}, Repeat = {random.Next(1, 4)}, Act = {Pick(random, validActs)}, Init = {Pick(random, validInits)}" +
                     $"{(random.Next(3) == 0 ? ", BatchNorm = true" : string.Empty)}{(random.Next(4) == 0 ? ", L2 = 0.01" : string.Empty)})]",
            });
        }

        lines.Add($"[Dense({random.Next(1, 11)}, Act = {Pick(random, new[] { "Act.Softmax", "Act.Sigmoid", "Act.Linear" })})]");
        lines.Add(Pick(random, new[] { "[Nadam(LearningRate = 5e-4)]", "[Sgd(LearningRate = 0.05, Momentum = 0.9)]", "[Adam]", "[RmsProp(Rho = 0.8)]" }));
        if (random.Next(2) == 0)
        {
            lines.Add(Pick(random, new[] { "[OneCycle(MaxRate = 0.05)]", "[ExponentialDecay(Steps = 100)]", "[ReduceOnPlateau(Factor = 0.2)]" }));
        }

        return string.Join("\n", lines);
    }

    private static string Rate(Random random) => (random.Next(0, 9) / 10.0).ToString("0.0", CultureInfo.InvariantCulture);

    private static string Layer(Random random) => random.Next(10) switch
    {
        0 => "[Standardize]",
        1 => random.Next(2) == 0 ? "[Flatten]" : "[Flatten(3)]",
        2 => random.Next(2) == 0 ? "[BatchNorm]" : $"[BatchNorm(Momentum = {Pick(random, Numbers)}, Epsilon = {Pick(random, Numbers)})]",
        3 => $"[Activation({Pick(random, Acts)}{Optional(random, ", Alpha = ", Numbers)})]",
        4 => $"[Dropout({Pick(random, Numbers)})]",
        5 => random.Next(3) == 0 ? "[AlphaDropout]" : $"[AlphaDropout({Pick(random, Numbers)})]",
        6 => random.Next(4) == 0 ? "[Dense]" : "[Dence(10)]",
        _ => Dense(random),
    };

    private static string Dense(Random random)
    {
        var text = new StringBuilder("[Dense(").Append(random.Next(6) == 0 ? "units: " : string.Empty).Append(Pick(random, Numbers));
        text.Append(Optional(random, ", Repeat = ", new[] { "1", "3", "20", "0", "-5", "1000" }));
        text.Append(Optional(random, ", Act = ", Acts));
        text.Append(Optional(random, ", Init = ", Inits));
        foreach (var name in new[] { "InitValue", "UseBias", "BatchNorm", "L1", "L2", "MaxNorm", "Alpha", "Units", "Regularizer" })
        {
            if (random.Next(7) == 0)
            {
                text.Append(", ").Append(name).Append(" = ").Append(Pick(random, Numbers));
            }
        }

        return text.Append(")]").ToString();
    }

    internal static string Trainer(Random random)
    {
        var name = Pick(random, Trainers);
        if (name == "PiecewiseConstant")
        {
            return random.Next(2) == 0 ? "[PiecewiseConstant(new[] { 5, 3 }, new[] { 0.1 })]" : "[PiecewiseConstant(null, null)]";
        }

        if (name == "Loss")
        {
            return $"[Loss((LossKind){random.Next(-1, 8)})]";
        }

        var arguments = Enumerable.Range(0, random.Next(0, 4))
            .Select(_ => Pick(random, TrainerArguments) + " = " + Pick(random, Numbers.Concat(new[] { "Monitored.ValAccuracy", "(Monitored)7" }).ToArray()));
        var list = string.Join(", ", arguments);
        return list.Length == 0 && random.Next(2) == 0 ? $"[{name}]" : $"[{name}({list})]";
    }

    internal static string Wrap(Random random, string attributes, string shell) => random.Next(4) switch
    {
        0 => "using DslNet;\n\n" + attributes + "\n" + shell,
        1 => "using DslNet;\n\nnamespace Samples.Deep;\n\n" + attributes + "\n" + shell,
        2 => "using DslNet;\n\nnamespace Samples\n{\n" + attributes + "\n" + shell + "}\n",
        _ => "using DslNet;\nusing static System.Math;\n\nnamespace Samples;\n\n// a model\n" + attributes + "\n" + shell,
    };

    private static string Nested(Random random, string attributes)
    {
        var outer = Pick(random, new[] { "public partial class Outer", "public class Outer", "public partial struct Outer", "public partial class Outer<T>", "public partial record Outer", "public static partial class Outer" });
        return "using DslNet;\n\nnamespace Samples;\n\n" + outer + "\n{\n" + attributes + "\n" + Pick(random, Shells) + "}\n";
    }

    internal static string Optional(Random random, string prefix, string[] values) =>
        random.Next(2) == 0 ? prefix + Pick(random, values) : string.Empty;

    internal static string Pick(Random random, string[] values) => values[random.Next(values.Length)];

    /// <summary>The case indexes, for xunit.</summary>
    public static IEnumerable<object[]> Indexes() => Enumerable.Range(0, Count).Select(i => new object[] { i.ToString("D3", CultureInfo.InvariantCulture) });
}

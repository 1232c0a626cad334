using System.Globalization;
using System.Text;
using static DslNet.Generators.Tests.Diagnostics.MalformedDeclarations;

namespace DslNet.Generators.Tests.Convolution;

/// <summary>
/// The robustness corpus's convolutional part: malformed conv, pooling and augmentation declarations (random and
/// out-of-range kernels, strides, dilations, paddings, missing and mistyped arguments, conv layers after flat vectors,
/// maps pooled to nothing, unfinished code) and, for contrast, well-formed random conv nets. Case <c>n</c> is always the same source.
/// </summary>
internal static class MalformedConvDeclarations
{
    public const int Count = 120;

    private const int Seed = 20_120_612;

    private static readonly string[] Sizes = { "1", "2", "3", "5", "7", "0", "-1", "64", "2147483647", "1.5", "\"3\"", "null", "Padding.Same", "(int)1e9" };

    private static readonly string[] Paddings = { "Padding.Valid", "Padding.Same", "(Padding)7", "(Padding)(-1)", "Padding.Full", "1", "null", "true" };

    private static readonly string[] InputShapes = { "3, 32, 32", "1, 5, 5", "3, 2, 2", "8", "3, 32", "16, 7, 9", "3, 1, 1", "0, 4, 4", "3, 100000, 100000" };

    /// <summary>The source of case <paramref name="index"/>.</summary>
    public static string Case(int index)
    {
        var random = new Random(Seed + index);
        if (index % 4 == 3)
        {
            return Wrap(random, Plausible(random), Shells[0]);
        }

        var lines = new List<string> { $"[Model({Pick(random, InputShapes)})]" };
        for (var i = random.Next(1, 7); i > 0; i--)
        {
            lines.Add(Layer(random));
        }

        if (random.Next(2) == 0)
        {
            lines.Add(Trainer(random));
        }

        var source = Wrap(random, string.Join("\n", lines), random.Next(5) == 0 ? Pick(random, Shells) : Shells[0]);
        return random.Next(6) == 0 ? source.Substring(0, random.Next(14, source.Length)) : source;
    }

    private static string Layer(Random random) => random.Next(12) switch
    {
        0 => $"[MaxPool({Pick(random, Sizes)}{Optional(random, ", Stride = ", Sizes)}{Optional(random, ", Padding = ", Paddings)})]",
        1 => $"[AvgPool({Pick(random, Sizes)}{Optional(random, ", Stride = ", Sizes)}{Optional(random, ", Padding = ", Paddings)})]",
        2 => random.Next(3) == 0 ? "[GlobalAvgPool(2)]" : "[GlobalAvgPool]",
        3 => random.Next(3) == 0 ? "[RandomFlip(true)]" : "[RandomFlip]",
        4 => random.Next(3) == 0 ? "[RandomCrop]" : $"[RandomCrop({Pick(random, Sizes)})]",
        5 => $"[Dense({Pick(random, Sizes)}{Optional(random, ", Act = ", Acts)})]",
        6 => Pick(random, new[] { "[BatchNorm]", "[Dropout(0.2)]", "[Flatten]", "[Activation(Act.ReLU)]", "[Conv2d(8, 3)]", "[Conv2D]", "[Conv2D(8)]" }),
        _ => Conv(random),
    };

    private static string Conv(Random random)
    {
        var text = new StringBuilder("[Conv2D(").Append(Pick(random, Sizes)).Append(", ").Append(random.Next(5) == 0 ? "kernel: " : string.Empty).Append(Pick(random, Sizes));
        text.Append(Optional(random, ", Stride = ", Sizes));
        text.Append(Optional(random, ", Padding = ", Paddings));
        text.Append(Optional(random, ", Dilation = ", Sizes));
        text.Append(Optional(random, ", Repeat = ", new[] { "1", "2", "5", "0", "-3", "100000" }));
        text.Append(Optional(random, ", Act = ", Acts));
        text.Append(Optional(random, ", Init = ", Inits));
        foreach (var name in new[] { "UseBias", "BatchNorm", "L1", "L2", "MaxNorm", "Alpha", "InitValue", "Filters", "Kernel", "Trainable" })
        {
            if (random.Next(8) == 0)
            {
                text.Append(", ").Append(name).Append(" = ").Append(Pick(random, Numbers));
            }
        }

        return text.Append(")]").ToString();
    }

    private static string Plausible(Random random)
    {
        var lines = new List<string> { $"[Model({Pick(random, new[] { "3, 32, 32", "1, 28, 28", "3, 16, 15" })})]" };
        if (random.Next(2) == 0)
        {
            lines.Add("[Standardize]");
        }

        if (random.Next(3) == 0)
        {
            lines.Add("[RandomFlip]");
            lines.Add($"[RandomCrop({random.Next(1, 5)})]");
        }

        for (var i = random.Next(1, 5); i > 0; i--)
        {
            lines.Add(random.Next(5) switch
            {
                0 => $"[MaxPool(2{(random.Next(2) == 0 ? ", Padding = Padding.Same" : string.Empty)})]",
                1 => $"[AvgPool(2, Stride = {random.Next(1, 3)})]",
                2 => Pick(random, new[] { "[BatchNorm]", "[Dropout(0.25)]", "[Activation(Act.ReLU)]", "[AlphaDropout(0.1)]" }),
                _ => $"[Conv2D({random.Next(1, 17)}, {random.Next(1, 4)}, Padding = Padding.Same, Stride = {random.Next(1, 3)}, Dilation = {random.Next(1, 3)}, " +
                     $"Act = {Pick(random, Acts.Take(14).ToArray())}{(random.Next(3) == 0 ? ", BatchNorm = true" : string.Empty)}{(random.Next(3) == 0 ? ", UseBias = false" : string.Empty)}" +
                     $"{(random.Next(4) == 0 ? ", L2 = 0.001, MaxNorm = 3" : string.Empty)})]",
            });
        }

        if (random.Next(2) == 0)
        {
            lines.Add("[GlobalAvgPool]");
        }

        lines.Add($"[Dense({random.Next(1, 11)}, Act = {Pick(random, new[] { "Act.Softmax", "Act.Sigmoid", "Act.Linear" })})]");
        lines.Add(Pick(random, new[] { "[Nadam(LearningRate = 5e-4)]", "[Sgd(LearningRate = 0.05, Momentum = 0.9)]", "[Adam]" }));
        return string.Join("\n", lines);
    }

    /// <summary>The case indexes, for xunit.</summary>
    public static IEnumerable<object[]> Indexes() => Enumerable.Range(0, Count).Select(i => new object[] { i.ToString("D3", CultureInfo.InvariantCulture) });
}

using System.Diagnostics;
using DslNet.Data;
using DslNet.Samples.Chapter11.Models;
using DslNet.Samples.Chapter11.Reporting;
using static TorchSharp.torch;

namespace DslNet.Samples.Chapter11.Experiments;

/// <summary>
/// The chapter's "Reusing Pretrained Layers" on the real CIFAR-10: model A on the 8 classes other than cat and dog,
/// model B on cat vs dog from 200 images, trained from scratch and on A's layers (frozen 4 epochs, then unfrozen 16),
/// over several seeds, scored on the held-out cats and dogs of the test set.
/// </summary>
internal static class TransferExperiment
{
    private const int SourceEpochs = 5;
    private const int TrainingImages = 200;
    private const int FrozenEpochs = 4;
    private const int UnfrozenEpochs = 16;
    private static readonly int[] Seeds = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    private static readonly int[] CatDog = [3, 5];
    private static readonly int[] OtherClasses = [0, 1, 2, 4, 6, 7, 8, 9];

    public static void Run(TextWriter output)
    {
        Heading.Write(output,
            "transfer: reusing pretrained layers (section \"Reusing Pretrained Layers\", on CIFAR-10)",
            "Do layers trained on 8 other classes help a cat-vs-dog model that has only 200 images?",
            "See the verdict under the table: the answer is the mean over the seeds, not any one run (the book warns that a " +
            "single lucky seed can make transfer look better than it is).");

        var clock = Stopwatch.StartNew();
        var (train, valid, test) = Cifar10.Load();
        var trainA = train.OfClasses(OtherClasses);
        var validA = valid.OfClasses(OtherClasses);
        var pool = train.OfClasses(CatDog);
        var validB = valid.OfClasses(CatDog);
        var testB = test.OfClasses(CatDog);
        output.WriteLine($"Data: CIFAR-10, the book's split. A: {trainA.Count:N0} training images of the 8 classes other than cat and dog " +
                         $"(validation {validA.Count:N0}). B: cat (0) vs dog (1), {TrainingImages} training images drawn per seed from {pool.Count:N0}; " +
                         $"validation {validB.Count:N0} and test {testB.Count:N0} held-out images of the two classes.");
        output.WriteLine($"A = Standardize → 3 × Dense(100, ReLU, He) → Dense(8, softmax), Adam 1e-3, {SourceEpochs} epochs (short: enough to learn useful features, far from converged).");
        output.WriteLine($"B = the same hidden layers → Dense(1, sigmoid), SGD 1e-3. From scratch: {FrozenEpochs + UnfrozenEpochs} epochs. On A: FromPretrained(A), " +
                         $"{FrozenEpochs} epochs with A's layers frozen, UnfreezeReused(), {UnfrozenEpochs} more (a fresh optimizer, as the book compiles again).");
        output.WriteLine();

        using var modelA = new TransferSourceNet();
        var historyA = modelA.Fit(trainA, validA, Options(SourceEpochs, seed: 42));
        var testA = modelA.Evaluate(test.OfClasses(OtherClasses));
        output.WriteLine($"A after {SourceEpochs} epochs: val accuracy {Numbers.Fixed(historyA.Rows[^1].ValAccuracy)}, test accuracy {Numbers.Fixed(testA.Accuracy)} (8 classes; chance 0.125), {Numbers.Seconds(historyA.TotalSeconds)}.");
        output.WriteLine();

        var table = new Table("seed", "scratch test acc", "on A test acc", "on A − scratch", "on A frozen-phase test acc");
        var scratchScores = new List<double>();
        var reuseScores = new List<double>();
        foreach (var seed in Seeds)
        {
            using var scope = NewDisposeScope();
            var trainB = Draw(pool, TrainingImages, seed);

            using var scratch = new CatDogNet();
            scratch.Fit(trainB, validB, Options(FrozenEpochs + UnfrozenEpochs, seed));
            var scratchAccuracy = scratch.Evaluate(testB).Accuracy;

            using var reused = CatDogOnSourceNet.FromPretrained(modelA);
            reused.Fit(trainB, validB, Options(FrozenEpochs, seed));
            var frozenAccuracy = reused.Evaluate(testB).Accuracy;
            reused.UnfreezeReused();
            reused.Fit(trainB, validB, Options(UnfrozenEpochs, seed));
            var reuseAccuracy = reused.Evaluate(testB).Accuracy;

            scratchScores.Add(scratchAccuracy);
            reuseScores.Add(reuseAccuracy);
            table.Add(seed.ToString(System.Globalization.CultureInfo.InvariantCulture), Numbers.Fixed(scratchAccuracy), Numbers.Fixed(reuseAccuracy),
                Signed(reuseAccuracy - scratchAccuracy), Numbers.Fixed(frozenAccuracy));
        }

        table.Add("mean ± std", MeanStd(scratchScores), MeanStd(reuseScores), MeanStd(reuseScores.Zip(scratchScores, (r, s) => r - s).ToList(), signed: true), string.Empty);
        table.Write(output);
        output.WriteLine();

        var gains = reuseScores.Zip(scratchScores, (r, s) => r - s).ToList();
        var wins = gains.Count(gain => gain > 0);
        var (meanGain, stdGain) = (gains.Average(), Std(gains));
        var standardError = stdGain / Math.Sqrt(gains.Count);
        var verdict = meanGain > 2 * standardError
            ? "reusing A's layers helped"
            : meanGain < -2 * standardError ? "reusing A's layers hurt" : "no clear difference: the gain is within the seed-to-seed noise";
        output.WriteLine($"Verdict over {Seeds.Length} seeds: {verdict} (mean test-accuracy gain {Signed(meanGain)}, standard error {Numbers.Fixed(standardError)}; " +
                         $"B on A beat B from scratch in {wins} of {Seeds.Length} seeds).");
        var unchanged = modelA.Evaluate(test.OfClasses(OtherClasses)).Accuracy == testA.Accuracy;
        output.WriteLine($"A's test accuracy after all B trainings: {(unchanged ? "unchanged" : "CHANGED")} (FromPretrained copies the weights). Total time {Numbers.Seconds(clock.Elapsed.TotalSeconds)}.");
    }

    private static FitOptions Options(int epochs, int seed) => new() { Epochs = epochs, Seed = seed, Progress = false, Threads = 1 };

    /// <summary><paramref name="count"/> images drawn without replacement from <paramref name="pool"/>, by a generator seeded with <paramref name="seed"/>.</summary>
    private static Dataset Draw(Dataset pool, int count, int seed)
    {
        using var generator = new Generator((ulong)seed);
        var picked = randperm(pool.Count, generator: generator).narrow(0, 0, count);
        return new Dataset(pool.Features.index_select(0, picked).DetachFromDisposeScope(), pool.Labels.index_select(0, picked).DetachFromDisposeScope());
    }

    private static double Std(IReadOnlyList<double> values)
    {
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }

    private static string MeanStd(IReadOnlyList<double> values, bool signed = false) =>
        (signed ? Signed(values.Average()) : Numbers.Fixed(values.Average())) + " ± " + Numbers.Fixed(Std(values));

    private static string Signed(double value) => (value >= 0 ? "+" : "−") + Numbers.Fixed(Math.Abs(value));
}

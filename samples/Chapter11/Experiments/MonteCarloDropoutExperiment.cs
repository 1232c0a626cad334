using DslNet.Samples.Chapter11.Data;
using DslNet.Samples.Chapter11.Models;
using DslNet.Samples.Chapter11.Reporting;
using static TorchSharp.torch;

namespace DslNet.Samples.Chapter11.Experiments;

/// <summary>Exercise 7, second half: MC dropout's gain in accuracy and log loss, and its cost at inference.</summary>
internal static class MonteCarloDropoutExperiment
{
    private const int Epochs = 30;
    private const int Repetitions = 5;

    public static void Run(TextWriter output)
    {
        Heading.Write(output,
            "mc-dropout: Predict vs PredictMonteCarlo (exercise 7, section \"Monte Carlo (MC) Dropout\")",
            "What about MC dropout?",
            "Training is unchanged, but inference costs N forward passes (plus a random mask per dropout layer each time), so " +
            "100 samples are hundreds of times slower than Predict. In return the averaged prediction is a little better: " +
            "here 100 samples beat Predict on both accuracy and log loss; 10 samples are too few to beat it, and a single " +
            "dropout sample is clearly worse.");

        var (train, valid) = DropoutProblem.Sample();
        output.WriteLine($"Data: {DropoutProblem.Description}; {train.Count} training and {valid.Count} validation samples.");
        output.WriteLine($"Model: Dense(256, ReLU) → Dropout(0.5) → Dense(256, ReLU) → Dropout(0.5) → Dense(10, softmax), Adam lr 1e-3, {Epochs} epochs.");
        output.WriteLine($"Scores on the validation set; time = median of {Repetitions} predictions of all {valid.Count} samples, taken in turns.");
        output.WriteLine();

        using var model = new DropoutNet();
        model.Fit(train, valid, new FitOptions { Epochs = Epochs, Progress = false, Seed = 1 });
        int[] sampleCounts = [1, 10, 100];
        var times = Timing.Medians(
            [() => model.Predict(valid.Features).Dispose(), .. sampleCounts.Select(n => (Action)(() => model.PredictMonteCarlo(valid.Features, n).Dispose()))],
            Repetitions);

        manual_seed(3);
        var table = new Table("prediction", "val accuracy", "val log loss", "time", "× Predict");
        Add(table, "Predict (dropout off)", model.Predict(valid.Features), valid.Labels, times[0], times[0]);
        for (var i = 0; i < sampleCounts.Length; i++)
        {
            Add(table, $"PredictMonteCarlo({sampleCounts[i]})", model.PredictMonteCarlo(valid.Features, sampleCounts[i]), valid.Labels, times[i + 1], times[0]);
        }

        table.Write(output);
    }

    private static void Add(Table table, string label, Tensor probabilities, Tensor labels, TimeSpan time, TimeSpan single)
    {
        using var disposeProbabilities = probabilities;
        var (logLoss, accuracy) = Metrics.FromProbabilities(probabilities, labels);
        table.Add(label, Numbers.Fixed(accuracy), Numbers.Fixed(logLoss), Numbers.Milliseconds(time),
            Numbers.Fixed(time / single, 1) + "×");
    }
}

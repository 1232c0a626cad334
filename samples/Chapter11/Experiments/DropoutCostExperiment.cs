using System.Globalization;
using DslNet.Samples.Chapter11.Data;
using DslNet.Samples.Chapter11.Models;
using DslNet.Samples.Chapter11.Reporting;

namespace DslNet.Samples.Chapter11.Experiments;

/// <summary>Exercise 7, first half: what dropout costs in training and in inference.</summary>
internal static class DropoutCostExperiment
{
    private const int Epochs = 20;
    private const int Repetitions = 20;

    public static void Run(TextWriter output)
    {
        Heading.Write(output,
            "dropout-cost: training and inference with and without dropout (exercise 7)",
            "Does dropout slow down training? Does it slow down inference?",
            "Training: yes. An epoch costs about the same (a random mask per layer is cheap next to the backward pass), but " +
            "convergence is slower: it takes more epochs to reach the same validation accuracy (though it ends up higher). " +
            "Inference: no. Dropout is off at inference, the forward pass is the same and takes the same time (up to noise).");

        var (train, valid) = DropoutProblem.Sample();
        output.WriteLine($"Data: {DropoutProblem.Description}; {train.Count} training and {valid.Count} validation samples.");
        output.WriteLine($"Models: Dense(256, ReLU) → Dense(256, ReLU) → Dense(10, softmax), Adam lr 1e-3, {Epochs} epochs of batches of 32,");
        output.WriteLine("the second with Dropout(0.5) after each hidden layer. Times measured on this machine (wall clock; epoch time includes");
        output.WriteLine($"the validation pass); inference = Predict on the {valid.Count} validation samples, median of {Repetitions} runs taken in turns.");
        output.WriteLine();

        var options = new FitOptions { Epochs = Epochs, Progress = false, Seed = 1 };
        using var plain = new PlainNet();
        using var dropout = new DropoutNet();
        var plainHistory = plain.Fit(train, valid, options);
        var dropoutHistory = dropout.Fit(train, valid, options);
        var target = Math.Floor(0.98 * plainHistory.Rows.Max(row => row.ValAccuracy) * 1000) / 1000;

        var inference = Timing.Medians([() => plain.Predict(valid.Features).Dispose(), () => dropout.Predict(valid.Features).Dispose()], Repetitions);

        var table = new Table("model", "s/epoch (median)", $"epochs to val acc ≥ {Numbers.Fixed(target, 3)}", "best val acc (epoch)", "inference");
        Add(table, "without dropout", plainHistory, target, inference[0]);
        Add(table, "with Dropout(0.5)", dropoutHistory, target, inference[1]);
        table.Write(output);
        output.WriteLine($"(target = 98% of the best validation accuracy the network without dropout reaches in {Epochs} epochs)");
    }

    private static void Add(Table table, string label, History history, double target, TimeSpan inference)
    {
        var seconds = history.Rows.Select(row => row.Seconds).Order().ElementAt(history.Rows.Count / 2);
        var reached = history.Rows.FirstOrDefault(row => row.ValAccuracy >= target);
        var best = history.Rows.MaxBy(row => row.ValAccuracy)!;
        table.Add(label, Numbers.Seconds(seconds),
            reached is null ? $"not in {history.Rows.Count}" : reached.Epoch.ToString(CultureInfo.InvariantCulture),
            $"{Numbers.Fixed(best.ValAccuracy)} ({best.Epoch})", Numbers.Milliseconds(inference));
    }
}

using DslNet.Samples.Chapter11.Data;
using DslNet.Samples.Chapter11.Models;
using DslNet.Samples.Chapter11.Reporting;

namespace DslNet.Samples.Chapter11.Experiments;

/// <summary>Exercise 5: SGD with momentum 0.9 vs 0.99999 on the same problem, loss per epoch.</summary>
internal static class MomentumExperiment
{
    private const int Epochs = 20;

    public static void Run(TextWriter output)
    {
        Heading.Write(output,
            "momentum: SGD with momentum 0.9 vs 0.99999 (exercise 5)",
            "What may happen if you set the momentum hyperparameter too close to 1 (e.g., 0.99999) when using an SGD optimizer?",
            "The velocity almost never forgets, so the optimizer picks up speed, overshoots the minimum and oscillates around " +
            "it (the loss climbs back up and swings instead of settling) and it converges much later, if at all; 0.9 settles quickly.");

        var (train, valid) = FourBlobs.Sample();
        output.WriteLine($"Data: {FourBlobs.Description}, {train.Count} training and {valid.Count} validation samples; " +
                         "Dense(32, ReLU, He) → Dense(4, softmax), SGD lr 0.01, batches of 32, same initial weights and batch order.");
        output.WriteLine();

        var options = new FitOptions { Epochs = Epochs, Progress = false, Seed = 1 };
        using var steady = new Momentum09Net();
        using var slippery = new Momentum099999Net();
        var a = steady.Fit(train, valid, options);
        var b = slippery.Fit(train, valid, options);

        var table = new Table("epoch", "loss (0.9)", "val accuracy (0.9)", "loss (0.99999)", "val accuracy (0.99999)");
        for (var epoch = 0; epoch < Epochs; epoch++)
        {
            var left = epoch < a.Rows.Count ? a.Rows[epoch] : null;
            var right = epoch < b.Rows.Count ? b.Rows[epoch] : null;
            table.Add((epoch + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
                Cell(left?.Loss), Cell(left?.ValAccuracy), Cell(right?.Loss), Cell(right?.ValAccuracy));
        }

        table.Write(output);
        foreach (var (momentum, history) in new[] { ("0.9", a), ("0.99999", b) })
        {
            if (history.StopReason is not null)
            {
                output.WriteLine($"momentum {momentum}: stopped at epoch {history.StoppedEpoch}: {history.StopReason}");
            }
        }
    }

    private static string Cell(double? value) => value is double v ? Numbers.Short(v) : "—";
}

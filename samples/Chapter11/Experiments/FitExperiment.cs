using DslNet.Samples.Chapter11.Data;
using DslNet.Samples.Chapter11.Models;
using DslNet.Samples.Chapter11.Reporting;

namespace DslNet.Samples.Chapter11.Experiments;

/// <summary>A declared model trained with the generated Fit: Keras-like progress, then its history CSV and learning curves.</summary>
internal static class FitExperiment
{
    public static void Run(TextWriter output)
    {
        Heading.Write(output,
            "fit: a declared model trained end to end (the chapter's default recipe)",
            "What does a training run of a DslNet model look like?",
            "Keras-like progress per epoch, an exponentially decaying learning rate, early stopping that keeps the best " +
            "epoch's weights, and the run's history (CSV) and learning curves (PNG) in the log folder.");

        var folder = Path.Combine(Path.GetTempPath(), "dslnet-chapter11-fit");
        var (train, valid) = new Blobs(Classes: 5, Features: 20, Informative: 6, Spread: 1.5, Noise: 1.0).Sample(1_000, 200);
        output.WriteLine(FirstNet.Summary);
        output.WriteLine();

        using var model = new FirstNet();
        var history = model.Fit(train, valid, new FitOptions { LogDirectory = folder, Output = output, Seed = 1 });

        var kept = model.Evaluate(valid);
        output.WriteLine();
        output.WriteLine($"Kept epoch {history.KeptEpoch} of {history.Rows.Count}: validation {kept}.");
        output.WriteLine($"History: {Path.Combine(folder, "FirstNet.history.csv")}");
        output.WriteLine($"Learning curves: {Path.Combine(folder, "FirstNet.curves.png")}");
        output.WriteLine($"Best weights: {Path.Combine(folder, "FirstNet.best.weights")}");
    }
}

using DslNet.Samples.Chapter11.Data;
using DslNet.Samples.Chapter11.Models;
using DslNet.Samples.Chapter11.Reporting;
using TorchSharp;
using static TorchSharp.torch;

namespace DslNet.Samples.Chapter11.Experiments;

/// <summary>Exercise 6: sparse models by ℓ1 regularization and by pruning tiny weights after training.</summary>
internal static class SparsityExperiment
{
    private const int Epochs = 30;
    private const double Tiny = 1e-3;
    private const int Informative = 5;

    public static void Run(TextWriter output)
    {
        Heading.Write(output,
            "sparsity: ℓ1 regularization vs pruning tiny weights (exercise 6)",
            "Name three ways you can produce a sparse model.",
            "(1) Train normally, then zero out the smallest weights: here 95% of them go and validation accuracy does not drop " +
            "(the pruned weights were mostly reading noise inputs). (2) Train with ℓ1 regularization: it drives most weights to " +
            "≈0 but not to exactly 0 (the optimizer keeps them bouncing around 0), so zero the tiny ones afterwards; here 93–96% " +
            "go at no cost. (3) The book's third way, pruning during training with the TF Model Optimization Toolkit, has no " +
            "DslNet counterpart and is not shown.");

        var (train, valid) = new Blobs(Classes: 4, Features: 100, Informative: Informative, Spread: 1.5, Noise: 1.0).Sample(250, 250);
        output.WriteLine($"Data: 4 Gaussian blobs whose centers differ in only 5 of 100 features (the other 95 are noise); " +
                         $"{train.Count} training and {valid.Count} validation samples.");
        output.WriteLine($"Model: Dense(64, ReLU, He) → Dense(4, softmax), SGD lr 0.02 with momentum 0.9, {Epochs} epochs; 6,656 kernel weights counted, biases excluded.");
        output.WriteLine($"\"on signal\" = the share of first-layer weights of magnitude ≥ {Tiny:0e0} that read one of the {Informative} informative inputs " +
                         $"({Informative}% if spread evenly over the 100 inputs).");
        output.WriteLine();

        var table = new Table("model", "weights = 0", $"|w| < {Tiny:0e0}", "on signal", "val accuracy");
        var options = new FitOptions { Epochs = Epochs, Progress = false, Seed = 1 };

        using (var dense = new DenseNet())
        {
            dense.Fit(train, valid, options);
            Add(table, "dense (no ℓ1)", dense, valid);
            var kernels = Kernels.All(dense);
            foreach (var fraction in new[] { 0.5, 0.8, 0.9, 0.95, 0.98 })
            {
                Pruning.ZeroBelow(kernels, Pruning.Quantile(kernels, fraction));
                Add(table, $"dense, smallest {fraction * 100:0}% pruned", dense, valid);
            }
        }

        using (var sparse = new L1Net())
        {
            sparse.Fit(train, valid, options);
            Add(table, "ℓ1 0.01 on both kernels", sparse, valid);
            Pruning.ZeroBelow(Kernels.All(sparse), Tiny);
            Add(table, $"ℓ1, then |w| < {Tiny:0e0} zeroed", sparse, valid);
            Pruning.ZeroBelow(Kernels.All(sparse), 10 * Tiny);
            Add(table, $"ℓ1, then |w| < {10 * Tiny:0e0} zeroed", sparse, valid);
        }

        table.Write(output);
    }

    private static void Add<TModel>(Table table, string label, TModel model, Dataset valid)
        where TModel : nn.Module<Tensor, Tensor>, IModel
    {
        var kernels = Kernels.All(model);
        table.Add(label,
            Numbers.Percent(Pruning.FractionAtMost(kernels, 0)),
            Numbers.Percent(Pruning.FractionAtMost(kernels, Tiny)),
            Numbers.Percent(Pruning.ShareOnFirstInputs(Kernels.Of(model, "hidden1"), Informative, Tiny)),
            Numbers.Fixed(model.Evaluate(valid).Accuracy));
    }
}

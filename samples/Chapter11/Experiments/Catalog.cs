namespace DslNet.Samples.Chapter11.Experiments;

/// <summary>One experiment of the sample: its command name, a one-line description for the usage text, and its body.</summary>
internal sealed record Experiment(string Name, string Description, Action<TextWriter> Run);

/// <summary>The experiments in the order <c>all</c> runs them.</summary>
internal static class Catalog
{
    public static readonly IReadOnlyList<Experiment> Experiments =
    [
        new("fit", "a declared model trained end to end: progress, history CSV, learning curves PNG", FitExperiment.Run),
        new("init", "activation and gradient spread through 50 layers per activation/initializer (ex. 3–4)", InitExperiment.Run),
        new("symmetry", "all weights equal: hidden units stay identical; random init breaks symmetry (ex. 1–2)", SymmetryExperiment.Run),
        new("momentum", "SGD momentum 0.9 vs 0.99999, loss per epoch (ex. 5)", MomentumExperiment.Run),
        new("sparsity", "ℓ1 regularization vs pruning tiny weights: sparsity and accuracy kept (ex. 6)", SparsityExperiment.Run),
        new("dropout-cost", "training and inference with and without dropout (ex. 7)", DropoutCostExperiment.Run),
        new("mc-dropout", "Predict vs PredictMonteCarlo(1, 10, 100): scores and cost (ex. 7)", MonteCarloDropoutExperiment.Run),
        new("transfer", "reusing pretrained layers on CIFAR-10: cat vs dog from 200 images, scratch vs on model A (needs CIFAR-10)", TransferExperiment.Run),
    ];
}

using DslNet.Samples.Chapter11.Data;
using DslNet.Samples.Chapter11.Models;
using DslNet.Samples.Chapter11.Reporting;
using TorchSharp;
using static TorchSharp.torch;

namespace DslNet.Samples.Chapter11.Experiments;

/// <summary>
/// Exercise 1 (and 2): identical initial weights give identical units forever; random weights break the symmetry
/// even though every bias starts at zero.
/// </summary>
internal static class SymmetryExperiment
{
    private const int Epochs = 20;

    public static void Run(TextWriter output)
    {
        Heading.Write(output,
            "symmetry: every weight starts at the same value (exercises 1 and 2)",
            "Is it OK to initialize all the weights to the same value, even one picked at random? Is it OK to initialize the biases to 0?",
            "No to the first: units that start identical receive identical gradients, so after training the 32 hidden units are " +
            "still one unit copied 32 times (row difference 0) and the network learns far less. Yes to the second: with random " +
            "weights the units differ from the first step, and the zero biases then diverge on their own.");

        var (train, valid) = FourBlobs.Sample();
        output.WriteLine($"Data: {FourBlobs.Description}, {train.Count} training and {valid.Count} validation samples; " +
                         $"Dense(32, ReLU) → Dense(4, softmax), SGD (lr 0.05, momentum 0.9), {Epochs} epochs, biases start at 0.");
        output.WriteLine("\"row difference\" = the largest |w[i,j] − w[0,j]| between hidden unit i's weights and unit 0's.");
        output.WriteLine();

        var table = new Table("initial weights", "row difference before", "row difference after", "bias spread after", "distinct units", "val accuracy");
        Measure(table, "all 0.1 (constant)", new ConstantInitNet(), train, valid);
        Measure(table, "He normal (random)", new RandomInitNet(), train, valid);
        table.Write(output);
    }

    private static void Measure<TModel>(Table table, string label, TModel model, Dataset train, Dataset valid)
        where TModel : nn.Module<Tensor, Tensor>, IModel
    {
        using var disposeModel = model;
        var kernel = Kernels.Of(model, "hidden1");
        var before = RowDifference(kernel);
        model.Fit(train, valid, new FitOptions { Epochs = Epochs, Progress = false, Seed = 1 });
        var bias = model.named_parameters().Single(p => p.name == "hidden1.bias").parameter;
        var biasSpread = bias.max().item<float>() - bias.min().item<float>();
        table.Add(label, Numbers.Short(before), Numbers.Short(RowDifference(kernel)), Numbers.Short(biasSpread),
            DistinctRows(kernel).ToString(System.Globalization.CultureInfo.InvariantCulture), Numbers.Fixed(model.Evaluate(valid).Accuracy));
    }

    private static double RowDifference(Tensor kernel)
    {
        using var scope = NewDisposeScope();
        return kernel.detach().sub(kernel.detach()[0]).abs().max().item<float>();
    }

    /// <summary>The number of hidden units whose weight rows differ from every earlier row by more than 1e-6.</summary>
    private static int DistinctRows(Tensor kernel)
    {
        using var scope = NewDisposeScope();
        var rows = kernel.detach();
        var distinct = 0;
        for (var i = 0; i < rows.shape[0]; i++)
        {
            var isNew = i == 0 || rows[..i].sub(rows[i]).abs().amax(1).min().item<float>() > 1e-6;
            distinct += isNew ? 1 : 0;
        }

        return distinct;
    }
}

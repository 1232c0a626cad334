using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DslNet.Generators.Model;

namespace DslNet.Generators.Rules;

/// <summary>
/// DSL210: an output layer that does not fit the loss (chapter 10's table of output activations and losses);
/// DSL211: a callback that watches accuracy on a model that has none.
/// </summary>
internal static class OutputLossRules
{
    public static IEnumerable<DiagnosticInfo> Check(NetworkView view)
    {
        var model = view.Model;
        var last = model.Layers[model.Layers.Count - 1];
        var units = NetworkFacts.Product(last.OutputShape);
        var output = NetworkFacts.LastActivationLayer(model.Layers) ?? last;
        var site = output.DeclarationIndex >= 0 ? SeluRules.ActSite(output) : new DiagnosticSite(last.DeclarationIndex);
        var problem = Mismatch(model.OutputKind, model.Loss, units);
        if (problem is not null)
        {
            yield return DiagnosticInfo.Create(DiagnosticDescriptors.OutputDoesNotFitLoss, site, view.Describe(output), problem);
        }

        if (model.Loss is LossKind.SparseCategoricalCrossEntropy or LossKind.BinaryCrossEntropy)
        {
            yield break;
        }

        var loss = LossName(model.Loss);
        if (model.EarlyStopping is { Monitor: Monitored.ValAccuracy } stopping)
        {
            yield return DiagnosticInfo.Create(
                DiagnosticDescriptors.AccuracyMonitoredWithoutAccuracy, new DiagnosticSite(stopping.DeclarationIndex, "Monitor"), "[EarlyStopping]", model.Name, loss);
        }

        if (model.Schedule is { Kind: ScheduleKind.ReduceOnPlateau, Monitor: Monitored.ValAccuracy } schedule)
        {
            yield return DiagnosticInfo.Create(
                DiagnosticDescriptors.AccuracyMonitoredWithoutAccuracy, new DiagnosticSite(schedule.DeclarationIndex, "Monitor"), "[ReduceOnPlateau]", model.Name, loss);
        }
    }

    /// <summary>What is wrong with this output activation, unit count and loss, in words; null when they fit.</summary>
    private static string? Mismatch(OutputKind output, LossKind loss, int units)
    {
        var count = units.ToString(CultureInfo.InvariantCulture);
        if (output == OutputKind.Softmax && units == 1)
        {
            return "a softmax over 1 unit always outputs 1, whatever the input, so nothing can be learned: " +
                   "for a binary task use one Sigmoid unit (binary cross-entropy); for n classes use n Softmax units";
        }

        return (output, loss) switch
        {
            (OutputKind.Softmax, LossKind.BinaryCrossEntropy) =>
                $"binary cross-entropy treats each of the {count} softmax outputs as a separate yes/no probability, but a softmax makes them compete: " +
                "for one class among several use sparse categorical cross-entropy (the default for Softmax); for a binary task use one Sigmoid unit",
            (OutputKind.Sigmoid, LossKind.SparseCategoricalCrossEntropy) =>
                "sparse categorical cross-entropy needs a probability per class that sums to 1 (a Softmax output): " +
                "use Act = Act.Softmax with one unit per class, or binary cross-entropy for one Sigmoid unit",
            (OutputKind.Linear, LossKind.SparseCategoricalCrossEntropy) =>
                "sparse categorical cross-entropy on a linear output: training treats the outputs as logits, but Predict returns unbounded scores, not probabilities: " +
                "use Act = Act.Softmax on the output layer",
            (OutputKind.Linear, LossKind.BinaryCrossEntropy) =>
                "binary cross-entropy on a linear output: training treats the output as a logit, but Predict returns an unbounded score, not a probability: " +
                "use Act = Act.Sigmoid on the output layer",
            _ => null,
        };
    }

    private static string LossName(LossKind loss) => loss switch
    {
        LossKind.MeanAbsoluteError => "mean absolute error",
        LossKind.Huber => "the Huber loss",
        LossKind.MeanSquaredError => "mean squared error",
        _ => throw new System.ArgumentOutOfRangeException(nameof(loss), loss, "Unreachable: only regression losses are named here."),
    };
}

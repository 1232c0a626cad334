using DslNet.IO;
using DslNet.Plotting;

namespace DslNet;

/// <summary>
/// The result of the book's learning-rate finder: the rate of each batch (growing geometrically) and that batch's loss.
/// Plot loss against rate on a log axis; a good maximum rate lies somewhat below the bottom of the curve.
/// </summary>
public sealed class LearningRateSearch
{
    private static readonly string[] Header = ["rate", "loss"];

    /// <summary>The search's rates and losses, pairwise.</summary>
    public LearningRateSearch(IReadOnlyList<double> rates, IReadOnlyList<double> losses)
    {
        ArgumentNullException.ThrowIfNull(rates);
        ArgumentNullException.ThrowIfNull(losses);
        if (rates.Count != losses.Count)
        {
            throw new ArgumentException($"A learning-rate search needs one loss per rate: got {rates.Count} rates and {losses.Count} losses.", nameof(losses));
        }

        Rates = rates.ToArray();
        Losses = losses.ToArray();
    }

    /// <summary>The learning rate of each batch.</summary>
    public IReadOnlyList<double> Rates { get; }

    /// <summary>The loss of each batch (at that batch's rate).</summary>
    public IReadOnlyList<double> Losses { get; }

    /// <summary>
    /// A starting point, not an oracle: the rate where the loss, smoothed by a bias-corrected exponential moving average
    /// (β = 0.98, as fastai), is lowest, divided by 10 (the book: the best rate is about 10 times lower than the turning
    /// point). NaN when no loss is finite.
    /// </summary>
    public double SuggestedRate
    {
        get
        {
            var smoothing = new SmoothedLoss();
            double best = double.PositiveInfinity, rate = double.NaN;
            for (var i = 0; i < Losses.Count && double.IsFinite(Losses[i]); i++)
            {
                var smoothed = smoothing.Add(Losses[i]);
                if (smoothed < best)
                {
                    best = smoothed;
                    rate = Rates[i];
                }
            }

            return rate / 10;
        }
    }

    /// <summary>Writes <c>rate,loss</c> rows as CSV (invariant culture), atomically.</summary>
    public void SaveCsv(string path) => CsvTable.Write(path, Header, Rates.Zip(Losses, (r, l) => (IReadOnlyList<double>)[r, l]));

    /// <summary>
    /// Writes the curve as TensorBoard event files in <c>{directory}/lr_finder/</c>: <c>loss</c> and <c>learning_rate</c> per
    /// batch (step = batch number), beside a <c>Fit</c>'s <see cref="FitOptions.TensorBoardDirectory"/>.
    /// </summary>
    public void SaveTensorBoard(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Training.TensorBoardLog.LearningRateSearch(directory, Rates, Losses);
    }

    /// <summary>Writes the loss against the rate (log x axis) as a PNG.</summary>
    public void SavePlot(string path)
    {
        if (Rates.Count == 0)
        {
            throw new InvalidOperationException("The search has no points to plot.");
        }

        // As the book's plot_lr_vs_loss: y from 0 to first + lowest loss (the diverging tail leaves the frame), a line at the lowest.
        var finite = Losses.Where(double.IsFinite).ToList();
        var lowest = finite.Count == 0 ? 0 : finite.Min();
        var top = finite.Count == 0 ? 1 : finite[0] + lowest;
        Charts.SavePng(
            path,
            [new Charts.Panel("Learning-rate search", "learning rate (log scale)", "batch loss", [new Charts.Curve("loss", Rates.ToArray(), Losses.ToArray())],
                LogX: true, YRange: (0, top), ReferenceY: lowest)],
            800,
            500);
    }
}

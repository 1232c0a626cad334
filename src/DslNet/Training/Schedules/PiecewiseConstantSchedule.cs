namespace DslNet.Training;

/// <summary>
/// Piecewise-constant scheduling by epoch, in Keras' 0-based epoch index (epoch n shown as "Epoch n" has index n − 1):
/// rates[0] before boundaries[0], rates[i] from index boundaries[i − 1] on. The book's
/// <c>piecewise_constant_fn</c> (0.01 until index 5, 0.005 until 15, then 0.001) is boundaries [5, 15], rates [0.01, 0.005, 0.001].
/// </summary>
public sealed class PiecewiseConstantSchedule : LearningRateSchedule
{
    private readonly int[] boundaries;
    private readonly double[] rates;

    /// <summary>The schedule; <paramref name="boundaries"/> strictly increase and there is one more rate than boundaries.</summary>
    public PiecewiseConstantSchedule(int[] boundaries, double[] rates)
    {
        ArgumentNullException.ThrowIfNull(boundaries);
        ArgumentNullException.ThrowIfNull(rates);
        if (rates.Length != boundaries.Length + 1)
        {
            throw new ArgumentException($"Piecewise-constant scheduling needs one more rate than boundaries: got {boundaries.Length} boundaries and {rates.Length} rates.", nameof(rates));
        }

        for (var i = 0; i < boundaries.Length; i++)
        {
            if (boundaries[i] < 0 || (i > 0 && boundaries[i] <= boundaries[i - 1]))
            {
                throw new ArgumentException($"The boundaries must be epoch indices ≥ 0 in strictly increasing order; got [{string.Join(", ", boundaries)}].", nameof(boundaries));
            }
        }

        foreach (var rate in rates)
        {
            Hyperparameters.Positive(rate, nameof(rates));
        }

        this.boundaries = (int[])boundaries.Clone();
        this.rates = (double[])rates.Clone();
    }

    /// <summary>The epoch indices where the rate changes.</summary>
    public IReadOnlyList<int> Boundaries => boundaries;

    /// <summary>The rates, one per interval.</summary>
    public IReadOnlyList<double> Rates => rates;

    /// <summary>The rate of epoch <paramref name="epoch"/> (from 1).</summary>
    public double Rate(int epoch) => rates[boundaries.Count(b => epoch - 1 >= b)];

    /// <inheritdoc />
    public override double RateForBatch(long iteration, int epoch, double currentRate) => Rate(epoch);
}

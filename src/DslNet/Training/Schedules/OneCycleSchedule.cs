namespace DslNet.Training;

/// <summary>
/// The book's <c>OneCycleScheduler</c>, exactly: with half = (iterations − lastIterations) // 2, the rate at batch i
/// (counted from 0) goes linearly from StartRate to MaxRate over [0, half), back to StartRate over [half, 2·half), then
/// to LastRate over [2·half, iterations]. Defaults: StartRate = MaxRate/10, LastRate = StartRate/1000,
/// LastIterations = iterations // 10 + 1. Only the rate cycles (not momentum). Past the last iteration the rate stays at LastRate.
/// </summary>
public sealed class OneCycleSchedule : LearningRateSchedule
{
    /// <summary>The schedule over <paramref name="iterations"/> batches (batches per epoch × epochs); zeros mean the book's defaults.</summary>
    public OneCycleSchedule(long iterations, double maxRate, double startRate = 0, double lastRate = 0, int lastIterations = 0)
    {
        if (iterations < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(iterations), iterations, "1cycle needs at least 2 iterations (batches per epoch × epochs).");
        }

        Iterations = iterations;
        MaxRate = Hyperparameters.Positive(maxRate, nameof(maxRate));
        StartRate = Hyperparameters.NonNegative(startRate, nameof(startRate)) is > 0 and var start ? start : maxRate / 10;
        LastRate = Hyperparameters.NonNegative(lastRate, nameof(lastRate)) is > 0 and var last ? last : StartRate / 1000;
        LastIterations = lastIterations > 0 ? lastIterations : (int)(iterations / 10 + 1);
        if (LastIterations >= iterations)
        {
            throw new ArgumentOutOfRangeException(nameof(lastIterations), lastIterations, $"1cycle's last iterations ({LastIterations}) must be fewer than its iterations ({iterations}).");
        }

        Half = (iterations - LastIterations) / 2;
    }

    /// <summary>The total number of batches.</summary>
    public long Iterations { get; }

    /// <summary>The length of the rising (and of the falling) phase: (Iterations − LastIterations) // 2.</summary>
    public long Half { get; }

    /// <summary>The number of final annealing batches.</summary>
    public int LastIterations { get; }

    /// <summary>The rate at iteration 0 and at 2·Half.</summary>
    public double StartRate { get; }

    /// <summary>The peak rate, at iteration Half.</summary>
    public double MaxRate { get; }

    /// <summary>The rate at the last iteration.</summary>
    public double LastRate { get; }

    /// <summary>The rate of batch <paramref name="iteration"/> (from 0).</summary>
    public double Rate(long iteration)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(iteration);
        if (iteration < Half)
        {
            return Interpolate(iteration, 0, Half, StartRate, MaxRate);
        }

        if (iteration < 2 * Half)
        {
            return Interpolate(iteration, Half, 2 * Half, MaxRate, StartRate);
        }

        return Interpolate(Math.Min(iteration, Iterations), 2 * Half, Iterations, StartRate, LastRate);
    }

    /// <inheritdoc />
    public override double RateForBatch(long iteration, int epoch, double currentRate) => Rate(iteration);

    private static double Interpolate(long iteration, long from, long to, double fromRate, double toRate) =>
        (toRate - fromRate) * (iteration - from) / (to - from) + fromRate;
}

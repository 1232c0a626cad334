namespace DslNet;

/// <summary>A bias-corrected exponential moving average of batch losses (β = 0.98, as fastai's learning-rate finder).</summary>
internal struct SmoothedLoss
{
    private const double Beta = 0.98;
    private double average;
    private int count;

    /// <summary>Adds a batch loss and returns the smoothed value.</summary>
    public double Add(double loss)
    {
        average = Beta * average + (1 - Beta) * loss;
        count++;
        return average / (1 - Math.Pow(Beta, count));
    }
}

namespace DslNet.Training;

/// <summary>Exponential decay by batch (Keras <c>ExponentialDecay</c>, the book's): lr = lr0 · 0.1^(iteration / steps).</summary>
public sealed class ExponentialDecaySchedule(double initialRate, int steps) : LearningRateSchedule
{
    /// <summary>The rate at iteration 0.</summary>
    public double InitialRate { get; } = Hyperparameters.Positive(initialRate, nameof(initialRate));

    /// <summary>The number of batches for a tenfold drop.</summary>
    public int Steps { get; } = Hyperparameters.AtLeastOne(steps, nameof(steps));

    /// <inheritdoc />
    public override double RateForBatch(long iteration, int epoch, double currentRate) =>
        InitialRate * Math.Pow(0.1, (double)iteration / Steps);
}

/// <summary>Power decay by batch (the book's power scheduling): lr = lr0 / (1 + iteration / steps)^power.</summary>
public sealed class PowerDecaySchedule(double initialRate, int steps, double power = 1) : LearningRateSchedule
{
    /// <summary>The rate at iteration 0.</summary>
    public double InitialRate { get; } = Hyperparameters.Positive(initialRate, nameof(initialRate));

    /// <summary>The number of batches for the rate to halve (with power 1).</summary>
    public int Steps { get; } = Hyperparameters.AtLeastOne(steps, nameof(steps));

    /// <summary>The exponent c.</summary>
    public double Power { get; } = Hyperparameters.Positive(power, nameof(power));

    /// <inheritdoc />
    public override double RateForBatch(long iteration, int epoch, double currentRate) =>
        InitialRate / Math.Pow(1 + (double)iteration / Steps, Power);
}

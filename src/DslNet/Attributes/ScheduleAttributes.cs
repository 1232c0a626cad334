namespace DslNet;

/// <summary>Base of the learning-rate schedules; a model declares at most one.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public abstract class ScheduleAttribute : Attribute
{
}

/// <summary>
/// The book's 1cycle: from <c>StartRate</c> (MaxRate/10) up to <c>MaxRate</c> over the first half, back down over the
/// second, then the last iterations (about 10%) anneal linearly to <c>LastRate</c> (StartRate/1000). Updated every batch.
/// </summary>
public sealed class OneCycleAttribute : ScheduleAttribute
{
    /// <summary>The peak learning rate.</summary>
    public double MaxRate { get; set; }

    /// <summary>The starting rate (0 = MaxRate / 10).</summary>
    public double StartRate { get; set; }

    /// <summary>The final rate (0 = StartRate / 1000).</summary>
    public double LastRate { get; set; }

    /// <summary>How many final iterations anneal (0 = iterations / 10 + 1).</summary>
    public int LastIterations { get; set; }
}

/// <summary>Exponential decay: lr = lr0 · 0.1^(step / Steps), stepped every batch.</summary>
public sealed class ExponentialDecayAttribute : ScheduleAttribute
{
    /// <summary>Steps (batches) for the rate to fall tenfold.</summary>
    public int Steps { get; set; } = KerasDefaults.DecaySteps;
}

/// <summary>Power decay: lr = lr0 / (1 + step / Steps)^Power, stepped every batch.</summary>
public sealed class PowerDecayAttribute : ScheduleAttribute
{
    /// <summary>Steps (batches) for the rate to halve (with power 1).</summary>
    public int Steps { get; set; } = KerasDefaults.DecaySteps;

    /// <summary>The exponent c (default 1).</summary>
    public double Power { get; set; } = KerasDefaults.DecayPower;
}

/// <summary>Piecewise constant: the rate is <c>Rates[i]</c> from epoch <c>Boundaries[i-1]</c> on.</summary>
public sealed class PiecewiseConstantAttribute : ScheduleAttribute
{
    /// <summary>Declares the schedule: <paramref name="boundaries"/> (epochs, increasing) has one element fewer than <paramref name="rates"/>.</summary>
    public PiecewiseConstantAttribute(int[] boundaries, double[] rates)
    {
        Boundaries = boundaries;
        Rates = rates;
    }

    /// <summary>The epochs where the rate changes.</summary>
    public int[] Boundaries { get; }

    /// <summary>The rates, one more than the boundaries.</summary>
    public double[] Rates { get; }
}

/// <summary>Performance scheduling: multiply the rate by <c>Factor</c> when the monitored metric has not improved for <c>Patience</c> epochs.</summary>
public sealed class ReduceOnPlateauAttribute : ScheduleAttribute
{
    /// <summary>The metric watched (validation loss by default).</summary>
    public Monitored Monitor { get; set; } = Monitored.ValLoss;

    /// <summary>The factor (default 0.5).</summary>
    public double Factor { get; set; } = KerasDefaults.PlateauFactor;

    /// <summary>Epochs without improvement before the rate is reduced (default 5).</summary>
    public int Patience { get; set; } = KerasDefaults.PlateauPatience;

    /// <summary>The smallest rate (default 0).</summary>
    public double MinRate { get; set; }
}

/// <summary>Stop training when the monitored metric has not improved for <c>Patience</c> epochs.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class EarlyStoppingAttribute : Attribute
{
    /// <summary>The metric watched (validation loss by default).</summary>
    public Monitored Monitor { get; set; } = Monitored.ValLoss;

    /// <summary>Epochs without improvement before stopping (default 10).</summary>
    public int Patience { get; set; } = KerasDefaults.EarlyStoppingPatience;

    /// <summary>The smallest change that counts as an improvement (default 0).</summary>
    public double MinDelta { get; set; }

    /// <summary>Restore the best epoch's weights at the end (default true).</summary>
    public bool RestoreBestWeights { get; set; } = KerasDefaults.RestoreBestWeights;
}

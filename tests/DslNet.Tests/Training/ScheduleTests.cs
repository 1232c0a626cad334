using DslNet.Training;
using Xunit;

namespace DslNet.Tests.Training;

public sealed class ScheduleTests
{
    [Fact]
    public void OneCycleMatchesTheBooksPartFValues()
    {
        // Part f: ceil(45,000 / 128) · 15 = 5,280 iterations, max rate 0.05.
        var schedule = new OneCycleSchedule(5280, 0.05);

        Assert.Equal(529, schedule.LastIterations);
        Assert.Equal(2375, schedule.Half);
        Assert.Equal(0.005, schedule.StartRate, 15);
        Assert.Equal(5e-6, schedule.LastRate, 1e-18);
        Assert.Equal(0.005, schedule.Rate(0), 15);
        Assert.Equal(0.05, schedule.Rate(2375), 15);
        Assert.Equal(0.005, schedule.Rate(4750), 15);
        // The book's last batch (counter 5279): one step short of the end of the final segment.
        Assert.Equal((5e-6 - 0.005) * (5279 - 4750) / (5280 - 4750) + 0.005, schedule.Rate(5279), 15);
        Assert.Equal(5e-6, schedule.Rate(5280), 1e-18);
        Assert.Equal((0.05 - 0.005) * 1000 / 2375 + 0.005, schedule.Rate(1000), 15);
        Assert.Equal((0.005 - 0.05) * (3000 - 2375) / 2375.0 + 0.05, schedule.Rate(3000), 15);
        Assert.Equal(schedule.Rate(17), schedule.RateForBatch(17, 1, 123));
    }

    [Fact]
    public void OneCycleTakesExplicitValues()
    {
        var schedule = new OneCycleSchedule(100, 1, startRate: 0.2, lastRate: 0.01, lastIterations: 20);
        Assert.Equal(40, schedule.Half);
        Assert.Equal(0.2, schedule.Rate(0));
        Assert.Equal(1, schedule.Rate(40));
        Assert.Equal(0.2, schedule.Rate(80), 15);
        Assert.Equal(0.01, schedule.Rate(100), 15);
    }

    [Fact]
    public void DecaySchedulesFollowTheBooksFormulas()
    {
        var exponential = new ExponentialDecaySchedule(0.01, 20);
        Assert.Equal(0.01, exponential.RateForBatch(0, 1, 0));
        Assert.Equal(0.001, exponential.RateForBatch(20, 1, 0), 15);
        Assert.Equal(0.01 * Math.Pow(0.1, 0.5), exponential.RateForBatch(10, 1, 0), 15);

        var power = new PowerDecaySchedule(0.01, 10, power: 1);
        Assert.Equal(0.005, power.RateForBatch(10, 1, 0), 15);
        Assert.Equal(0.01 / Math.Pow(1.5, 2), new PowerDecaySchedule(0.01, 10, 2).RateForBatch(5, 1, 0), 15);
    }

    [Fact]
    public void PiecewiseConstantUsesKerasEpochIndices()
    {
        var schedule = new PiecewiseConstantSchedule([5, 15], [0.01, 0.005, 0.001]);
        Assert.Equal(0.01, schedule.Rate(1));
        Assert.Equal(0.01, schedule.Rate(5));
        Assert.Equal(0.005, schedule.Rate(6));
        Assert.Equal(0.005, schedule.Rate(15));
        Assert.Equal(0.001, schedule.Rate(16));
        Assert.Throws<ArgumentException>(() => new PiecewiseConstantSchedule([5], [0.1]));
        Assert.Throws<ArgumentException>(() => new PiecewiseConstantSchedule([5, 5], [0.1, 0.2, 0.3]));
    }

    [Fact]
    public void ReduceOnPlateauHalvesAfterPatienceEpochsWithoutImprovement()
    {
        var schedule = new ReduceOnPlateauSchedule(Monitored.ValLoss, factor: 0.5, patience: 2, minRate: 0.02);
        var rate = 0.1;
        double[] losses = [1.0, 0.9, 0.95, 0.92, 0.91, 0.93, 0.94, 0.95, 0.96, 0.97];
        var rates = new List<double>();
        for (var e = 0; e < losses.Length; e++)
        {
            rate = schedule.RateAfterEpoch(e + 1, new EpochRow(e + 1, 1, 0.5, losses[e], 0.5, rate, 1), rate);
            rates.Add(rate);
        }

        Assert.Equal([0.1, 0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.02, 0.02, 0.02], rates);
    }

    [Fact]
    public void EarlyStoppingCountsPatienceFromTheBestEpoch()
    {
        var stopping = new EarlyStopping(Monitored.ValAccuracy, patience: 2, minDelta: 0.01);
        double[] accuracies = [0.5, 0.6, 0.605, 0.7, 0.69, 0.705];
        var stops = accuracies.Select((a, e) => stopping.Update(new EpochRow(e + 1, 1, a, 1, a, 0.1, 1)).Stop).ToList();
        Assert.Equal([false, false, false, false, false, true], stops);
        Assert.Equal(4, stopping.BestEpoch);
        Assert.Equal(0.7, stopping.BestValue);
    }
}

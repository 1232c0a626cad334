using DslNet.Training;
using TorchSharp;
using Xunit;

namespace DslNet.Tests.Training;

/// <summary>Fit trains with the requested (or automatic) intra-op thread count and puts the previous count back.</summary>
[Collection(TorchRandomCollection.Name)]
public sealed class TrainingThreadsTests
{
    [Fact]
    public void FitTrainsWithTheRequestedThreadsAndRestoresThePreviousCount()
    {
        var (train, _) = SyntheticData.Blobs(perClassTrain: 4, perClassValidation: 1);
        using var model = new TinyClassifier(20, 8, 10);
        using var optimizer = new Adam(model.parameters(), 0.01);
        var before = torch.get_num_threads();
        var requested = before == 1 ? 2 : 1;
        var seen = new ThreadCountWriter();
        var settings = new TrainingSettings("TinyClassifier", 2, 16, Shuffle: true, Seed: 1).With(new FitOptions { Threads = requested, Output = seen });

        var history = TrainingLoop.Fit(model, train, null, settings, optimizer, null, null);

        Assert.Equal(requested, history.Threads);
        Assert.NotEmpty(seen.Counts);
        Assert.All(seen.Counts, count => Assert.Equal(requested, count));
        Assert.Equal(before, torch.get_num_threads());
    }

    [Fact]
    public void CandidatesAreThePowersOfTwoBelowTheAvailableThreadsAndItThenAsManyReplicas()
    {
        Assert.Equal([new StepPlan(1, 1)], TrainingThreads.Candidates(available: 1, batchSize: 32, replicable: true));
        Assert.Equal([new StepPlan(1, 1), new StepPlan(2, 1), new StepPlan(1, 2)], TrainingThreads.Candidates(available: 2, batchSize: 32, replicable: true));
        Assert.Equal([new StepPlan(1, 1), new StepPlan(2, 1)], TrainingThreads.Candidates(available: 2, batchSize: 32, replicable: false));
        Assert.Equal(
            [new StepPlan(1, 1), new StepPlan(2, 1), new StepPlan(4, 1), new StepPlan(6, 1), new StepPlan(3, 2), new StepPlan(1, 4)],
            TrainingThreads.Candidates(available: 6, batchSize: 8, replicable: true));
    }

    [Fact]
    public void ThreadsBelowOneAreAClearError()
    {
        var settings = new TrainingSettings("Net", 1, 32, Shuffle: true, Seed: 1).With(new FitOptions { Threads = 0 });
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => settings.StepsPerEpoch(10));
        Assert.Contains("FitOptions.Threads", error.Message);
        var replicas = new TrainingSettings("Net", 1, 32, Shuffle: true, Seed: 1).With(new FitOptions { Replicas = 0 });
        Assert.Contains("FitOptions.Replicas", Assert.Throws<ArgumentOutOfRangeException>(() => replicas.StepsPerEpoch(10)).Message);
    }

    /// <summary>Records torch's thread count whenever Fit writes progress (which it does only while training).</summary>
    private sealed class ThreadCountWriter : StringWriter
    {
        public List<int> Counts { get; } = [];

        public override void WriteLine(string? value)
        {
            Counts.Add(torch.get_num_threads());
            base.WriteLine(value);
        }
    }
}

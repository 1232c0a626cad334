using DslNet.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DslNet.Tests.Training;

/// <summary>
/// The measured thread choice leaves the run exactly as without it, and data-parallel replicas take the same step as the
/// whole batch (up to float rounding), the same in every run.
/// </summary>
[Collection(TorchRandomCollection.Name)]
public sealed class ThreadCalibrationTests
{
    private static TrainingSettings Settings(int epochs, int batchSize = 32) =>
        new("TinyClassifier", epochs, batchSize, Shuffle: true, Seed: 42) { Options = new FitOptions { Progress = false } };

    [Fact]
    public void MeasuringPutsBackWeightsOptimizerStateAndRandomState()
    {
        var (train, _) = SyntheticData.Blobs();
        using var model = new TinyClassifier(20, 16, 10, dropoutRate: 0.2, batchNorm: true);
        using var optimizer = new Nadam(model.parameters(), 0.005);
        TrainingLoop.Fit(model, train, null, Settings(1).With(new FitOptions { Progress = false, Threads = 1 }), optimizer, null, null);
        model.eval();
        var weights = Weights(model);
        using var moments = optimizer.Snapshot();
        var iterations = optimizer.Iterations;
        using var random = torch.get_rng_state();

        var times = ThreadCalibration.Measure(model, optimizer, train, 32, [new StepPlan(1, 1), new StepPlan(2, 1)]);

        Assert.All(times, t => Assert.True(t > 0 && double.IsFinite(t)));
        Assert.Equal(weights, Weights(model));
        Assert.Equal(iterations, optimizer.Iterations);
        Assert.False(model.training);
        using var after = optimizer.Snapshot();
        Assert.Equal(moments.Slots.Select(Values), after.Slots.Select(Values));
        Assert.Equal(moments.Scalars, after.Scalars);
        Assert.Equal(Values(random), Values(torch.get_rng_state()));
    }

    [Fact]
    public void AutomaticChoiceTrainsExactlyLikeTheChosenCountsSetByHand()
    {
        var (train, validation) = SyntheticData.Blobs();
        (float[] Weights, double[] Losses, History History) Run(FitOptions options, int batchSize)
        {
            using var model = new TinyClassifier(20, 16, 10, l2: 1e-3);
            using var optimizer = new Nadam(model.parameters(), 0.005);
            var history = TrainingLoop.Fit(model, train, validation, Settings(2, batchSize).With(options with { Progress = false }), optimizer, null, null);
            return (Weights(model), history.Rows.Select(r => r.Loss).Concat(history.Rows.Select(r => r.ValLoss)).ToArray(), history);
        }

        // A batch size no other test uses, so the choice is measured here rather than taken from the cache.
        var automatic = Run(new FitOptions(), batchSize: 27);
        var byHand = Run(new FitOptions { Threads = automatic.History.Threads, Replicas = automatic.History.Replicas }, batchSize: 27);

        Assert.Equal(byHand.Weights, automatic.Weights);
        Assert.Equal(byHand.Losses, automatic.Losses);
        Assert.Equal(0, byHand.History.CalibrationSeconds);
        if (TrainingThreads.Available > 1)
        {
            Assert.True(automatic.History.CalibrationSeconds > 0, "with more than one thread available, the choice is measured");
        }
    }

    [Fact]
    public void ReplicasTakeTheFullBatchStepUpToRoundingAndTheSameInEveryRun()
    {
        var (train, validation) = SyntheticData.Blobs();
        (float[] Weights, double[] Losses, History History) Run(int replicas)
        {
            using var model = new TinyClassifier(20, 16, 10, l2: 1e-3, maxNorm: 2);
            using var optimizer = new Nadam(model.parameters(), 0.005);
            var history = TrainingLoop.Fit(model, train, validation, Settings(3, batchSize: 25).With(new FitOptions { Progress = false, Threads = 1, Replicas = replicas }), optimizer, null, null);
            return (Weights(model), history.Rows.Select(r => r.Loss).Concat(history.Rows.Select(r => r.ValLoss)).ToArray(), history);
        }

        var whole = Run(1);
        var split = Run(3);
        var again = Run(3);

        Assert.Equal(3, split.History.Replicas);
        Assert.Equal(split.Weights, again.Weights);
        Assert.Equal(split.Losses, again.Losses);
        Assert.NotEqual(whole.Weights, split.Weights); // float rounding differs: the sums run in another order
        for (var i = 0; i < whole.Weights.Length; i++)
        {
            Assert.True(Math.Abs(whole.Weights[i] - split.Weights[i]) <= 1e-4 + 1e-4 * Math.Abs(whole.Weights[i]), $"weight {i}: {whole.Weights[i]} vs {split.Weights[i]}");
        }

        for (var i = 0; i < whole.Losses.Length; i++)
        {
            Assert.Equal(whole.Losses[i], split.Losses[i], 1e-4);
        }

        Assert.Equal(whole.History.Rows.Select(r => r.Accuracy), split.History.Rows.Select(r => r.Accuracy));
    }

    [Fact]
    public void BatchNormDropoutAndAugmentationModelsTrainOnOneReplica()
    {
        using var norm = new TinyClassifier(20, 16, 10, batchNorm: true);
        using var normOptimizer = new Adam(norm.parameters(), 0.01);
        using var dropout = new TinyClassifier(20, 16, 10, dropoutRate: 0.2);
        using var dropoutOptimizer = new Adam(dropout.parameters(), 0.01);
        using var plain = new TinyClassifier(20, 16, 10);
        using var plainOptimizer = new Adam(plain.parameters(), 0.01);

        Assert.False(DataParallelStep.Supports(norm, normOptimizer));
        Assert.False(DataParallelStep.Supports(dropout, dropoutOptimizer));
        Assert.True(DataParallelStep.Supports(plain, plainOptimizer));
        using var flipping = nn.Sequential(("flip", new DslNet.Layers.RandomHorizontalFlip(1)), ("flatten", nn.Flatten()), ("output", nn.Linear(3 * 4 * 4, 10)));
        using var flippingOptimizer = new Adam(flipping.parameters(), 0.01);
        Assert.False(DataParallelStep.Supports(flipping, flippingOptimizer));
        using var cropping = nn.Sequential(("crop", new DslNet.Layers.RandomPaddedCrop(1, 1)), ("flatten", nn.Flatten()), ("output", nn.Linear(3 * 4 * 4, 10)));
        using var croppingOptimizer = new Adam(cropping.parameters(), 0.01);
        Assert.False(DataParallelStep.Supports(cropping, croppingOptimizer));
        var (train, _) = SyntheticData.Blobs(perClassTrain: 4);
        var history = TrainingLoop.Fit(norm, train, null, Settings(1).With(new FitOptions { Progress = false, Replicas = 2 }), normOptimizer, null, null);
        Assert.Equal(1, history.Replicas);
    }

    [Fact]
    public void AnExceptionOnAReplicaReachesTheCallerAndTheStepCanRunAgain()
    {
        var (train, _) = SyntheticData.Blobs(perClassTrain: 4);
        using var model = new TinyClassifier(20, 16, 10);
        using var optimizer = new Adam(model.parameters(), 0.01);
        using var step = new DataParallelStep(model, optimizer, replicas: 2, threadsPerReplica: 1);
        using var scope = torch.NewDisposeScope();
        var features = train.Features.narrow(0, 0, 8);
        var wrongWidth = torch.zeros(8, 7);

        Assert.ThrowsAny<Exception>(() => step.TrainBatch(wrongWidth, train.Labels.narrow(0, 0, 8)));
        var (loss, logits) = step.TrainBatch(features, train.Labels.narrow(0, 0, 8));

        Assert.True(double.IsFinite(loss));
        Assert.Equal([8L, 10L], logits.shape);
    }

    [Theory]
    [InlineData(32, 2)]
    [InlineData(7, 3)]
    [InlineData(2, 2)]
    public void PartsCoverTheBatchInOrder(long size, int parts)
    {
        var next = 0L;
        for (var i = 0; i < parts; i++)
        {
            var (start, length) = DataParallelStep.Part(size, parts, i);
            Assert.Equal(next, start);
            Assert.InRange(length, size / parts, size / parts + 1);
            next = start + length;
        }

        Assert.Equal(size, next);
    }

    [Fact]
    public void AFasterCandidateWhoseFirstStepPaysForStartingItsThreadsIsStillChosen()
    {
        // An idle 2-core machine: one thread 8.5 ms a step, two threads 5 ms, but the first step after switching to two
        // threads starts the pool (40 ms, more than 4× the leader). It must be timed, not dropped on that step.
        var steps = new[] { new List<int>(), new List<int>() };
        var scores = ThreadCalibration.Race(2, _ => { }, i =>
        {
            steps[i].Add(0);
            return i == 0 ? 0.0085 : (steps[i].Count == 1 ? 0.040 : 0.005);
        });

        Assert.Equal(1, Array.IndexOf(scores, scores.Min()));
        Assert.Equal(0.005, scores[1]);
        Assert.Equal(ThreadCalibration.Rounds * ThreadCalibration.StepsPerRound, steps[1].Count);
    }

    [Fact]
    public void ACandidateThatCollapsesIsDroppedAfterAFewSteps()
    {
        // A busy machine: two threads wait on each other, 20× one thread's step. Dropped after its first timed step (the
        // untimed ones after the switch are let off up to 25×), and not measured again in later rounds.
        var steps = new[] { new List<int>(), new List<int>() };
        var scores = ThreadCalibration.Race(2, _ => { }, i =>
        {
            steps[i].Add(0);
            return i == 0 ? 0.010 : 0.200;
        });

        Assert.Equal(0, Array.IndexOf(scores, scores.Min()));
        Assert.Equal(ThreadCalibration.UntimedSteps + 1, steps[1].Count);
        Assert.Equal(ThreadCalibration.Rounds * ThreadCalibration.StepsPerRound, steps[0].Count);
    }

    [Fact]
    public void ACandidateMoreThanDropBehindAfterARoundIsNotMeasuredAgain()
    {
        var switches = new List<int>();
        var scores = ThreadCalibration.Race(2, switches.Add, i => i == 0 ? 0.010 : 0.015);

        Assert.Equal([0, 1, .. Enumerable.Repeat(0, ThreadCalibration.Rounds - 1)], switches);
        Assert.Equal(0.015, scores[1]);
    }

    [Theory]
    [InlineData(1, 1_000_000, false)] // one candidate: nothing to choose
    [InlineData(3, 1080, true)] // 3 × 3 rounds × 6 steps = 54 steps, 5 % of 1,080
    [InlineData(3, 1079, false)]
    [InlineData(2, 720, true)]
    public void TheRecheckRunsWhenItsStepsAreAtMostFivePercentOfTheStepsLeft(int candidates, long stepsLeft, bool expected) =>
        Assert.Equal(expected, ThreadCalibration.RecheckWorthIt(candidates, stepsLeft));

    /// <summary>
    /// A run whose threads were measured at its start measures them again before its second epoch, on the model as the first
    /// epoch left it (a busy machine at the start can make the wrong plan win); a short run, or counts given, are not re-measured.
    /// </summary>
    [Fact]
    public void AMeasuredRunMeasuresItsThreadsAgainBeforeItsSecondEpochWhenThatIsCheap()
    {
        if (TrainingThreads.Available < 2)
        {
            return; // one thread: nothing is measured at all
        }

        var (train, _) = SyntheticData.Blobs(); // 600 samples: 75 steps of 8 per epoch
        int Measurements(int epochs, FitOptions options, int batchSize)
        {
            ThreadCalibration.ForgetChoices();
            using var model = new TinyClassifier(20, 16, 10);
            using var optimizer = new Nadam(model.parameters(), 0.005);
            var before = ThreadCalibration.MeasurementsOnThisThread;
            var threads = torch.get_num_threads();
            var history = TrainingLoop.Fit(model, train, null, Settings(epochs, batchSize).With(options with { Progress = false }), optimizer, null, null);
            Assert.Equal(threads, torch.get_num_threads()); // also when the re-check changed the count
            Assert.Equal(epochs, history.Rows.Count);
            return ThreadCalibration.MeasurementsOnThisThread - before;
        }

        // 15 epochs left after the first: 1,125 steps, of which the re-check's at most 54 are under 5 %.
        Assert.Equal(2, Measurements(16, new FitOptions(), batchSize: 8));
        // 2 epochs: 75 steps left, too few to pay for a second race.
        Assert.Equal(1, Measurements(2, new FitOptions(), batchSize: 8));
        Assert.Equal(0, Measurements(16, new FitOptions { Threads = 1 }, batchSize: 8));
    }

    /// <summary>
    /// A backup written before the re-check still owes it: a run resumed from the end of its first epoch measures its threads
    /// before the second epoch as the uninterrupted run did; one resumed after the re-check does not measure again.
    /// </summary>
    [Fact]
    public void AResumedRunOwesTheRecheckOnlyIfItsBackupWasWrittenBeforeIt()
    {
        if (TrainingThreads.Available < 2)
        {
            return;
        }

        var (train, _) = SyntheticData.Blobs();
        var folder = Path.Combine(Path.GetTempPath(), "dslnet-recheck-" + Guid.NewGuid().ToString("N"));
        try
        {
            int Measurements(int killAfterEpoch)
            {
                ThreadCalibration.ForgetChoices();
                FitOptions Options(Func<EpochRow, bool>? hook) => new() { Progress = false, BackupDirectory = folder, OnEpochEnd = hook };
                using (var first = new TinyClassifier(20, 16, 10))
                using (var optimizer = new Nadam(first.parameters(), 0.005))
                {
                    Assert.Throws<IOException>(() => TrainingLoop.Fit(first, train, null,
                        Settings(16, 8).With(Options(row => row.Epoch == killAfterEpoch + 1 ? throw new IOException("killed (simulated)") : false)), optimizer, null, null));
                }

                using var model = new TinyClassifier(20, 16, 10);
                using var resumedOptimizer = new Nadam(model.parameters(), 0.005);
                var before = ThreadCalibration.MeasurementsOnThisThread;
                var history = TrainingLoop.Fit(model, train, null, Settings(16, 8).With(Options(null)), resumedOptimizer, null, null);
                Assert.Equal(16, history.Rows.Count);
                return ThreadCalibration.MeasurementsOnThisThread - before;
            }

            Assert.Equal(1, Measurements(killAfterEpoch: 1)); // backup of epoch 1: the re-check is still ahead
            Assert.Equal(0, Measurements(killAfterEpoch: 2)); // backup of epoch 2: done before it
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static float[] Weights(nn.Module model) => model.state_dict().Values.SelectMany(Values).ToArray();

    private static float[] Values(Tensor tensor) => tensor.to_type(ScalarType.Float32).data<float>().ToArray();
}

using System.Diagnostics;
using DslNet.Training;

namespace DslNet;

/// <summary>What a <see cref="TrainingCallback"/> sees of a running <c>Fit</c>, and what it may change.</summary>
public sealed class TrainingContext
{
    private readonly Optimizer optimizer;
    private readonly ProgressReporter progress;

    internal TrainingContext(string modelName, int epochs, int stepsPerEpoch, History history, Optimizer optimizer, ProgressReporter progress)
    {
        ModelName = modelName;
        Epochs = epochs;
        StepsPerEpoch = stepsPerEpoch;
        History = history;
        this.optimizer = optimizer;
        this.progress = progress;
    }

    /// <summary>The model's name.</summary>
    public string ModelName { get; }

    /// <summary>The most epochs this run trains.</summary>
    public int Epochs { get; }

    /// <summary>Training steps (batches) per epoch.</summary>
    public int StepsPerEpoch { get; }

    /// <summary>The current epoch (1-based).</summary>
    public int Epoch { get; internal set; }

    /// <summary>Steps done in the current epoch.</summary>
    public int Step { get; internal set; }

    /// <summary>Optimizer steps done in this run so far, across epochs (the schedules' counter).</summary>
    public long Iteration { get; internal set; }

    /// <summary>The optimizer's learning rate: set it to change the rate of the next steps (as a schedule does).</summary>
    public double LearningRate
    {
        get => optimizer.LearningRate;
        set => optimizer.LearningRate = value;
    }

    /// <summary>The epochs so far.</summary>
    public History History { get; }

    /// <summary>Whether a callback asked training to stop after this epoch.</summary>
    public bool StopRequested { get; private set; }

    /// <summary>
    /// Ends training after the current epoch (Keras' <c>model.stop_training = True</c>): the rest of this epoch's callbacks
    /// still run, then the loop ends as after early stopping. <paramref name="reason"/> is printed and kept in
    /// <see cref="History.StopReason"/>; the first reason given wins.
    /// </summary>
    public void StopTraining(string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        if (StopRequested)
        {
            return;
        }

        StopRequested = true;
        History.StoppedEpoch = Epoch;
        History.StopReason = reason;
        progress.Message(reason);
    }

    /// <summary>Writes a line where the progress goes (nothing when progress is off).</summary>
    public void Message(string text) => progress.Message(text);

    /// <summary>The progress display (DslNet's own progress callback).</summary>
    internal ProgressReporter Progress => progress;

    /// <summary>The current epoch's running loss and metrics.</summary>
    internal RunningMetrics? Running { get; set; }

    /// <summary>Time since the current epoch started, in this process.</summary>
    internal Stopwatch EpochClock { get; } = new();

    /// <summary>Seconds the current epoch had run before a resume (0 otherwise).</summary>
    internal double SecondsBefore { get; set; }

    /// <summary>The current epoch's seconds so far, across a resume.</summary>
    internal double EpochSeconds => SecondsBefore + EpochClock.Elapsed.TotalSeconds;
}

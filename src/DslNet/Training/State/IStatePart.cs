namespace DslNet.Training.State;

/// <summary>
/// A stateful part of a training run (the weights, the optimizer, a schedule, a random generator, the loop's own
/// counters…). It registers once with the run's <see cref="TrainingState"/>, which saves and restores it for every
/// purpose: training backups, resuming, thread calibration and the learning-rate finder.
/// </summary>
internal interface IStatePart
{
    /// <summary>Puts copies of this part's state into <paramref name="record"/>, under names starting with <paramref name="prefix"/>.</summary>
    void Save(StateRecord record, string prefix);

    /// <summary>Puts back what <see cref="Save"/> stored under <paramref name="prefix"/>.</summary>
    void Restore(StateRecord record, string prefix);
}

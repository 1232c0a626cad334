using DslNet.Training.State;

namespace DslNet.Training.Callbacks;

/// <summary>A callback's numbers (<see cref="TrainingCallback.SaveState"/>) as a part of the run's training state.</summary>
internal sealed class CallbackStatePart(TrainingCallback callback) : IStatePart
{
    public void Save(StateRecord record, string prefix) => record.PutNumbers(prefix + "values", callback.SaveState());

    public void Restore(StateRecord record, string prefix) => callback.RestoreState(record.Numbers(prefix + "values"));
}

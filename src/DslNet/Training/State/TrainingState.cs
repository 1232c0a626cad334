using TorchSharp;
using static TorchSharp.torch;

namespace DslNet.Training.State;

/// <summary>
/// The one place that knows a run's state: every stateful part registers here once, under a name, and everything that
/// must save or put back a run goes through <see cref="Capture"/> and <see cref="Restore"/>: training backups and
/// resuming (the whole run), thread calibration and the learning-rate finder (what a training step changes). A new
/// stateful part registered in <see cref="ForSteps"/> is therefore saved by all of them, or by none.
/// </summary>
internal sealed class TrainingState
{
    private readonly List<(string Name, IStatePart Part)> parts = [];

    private TrainingState()
    {
    }

    /// <summary>
    /// What a training step changes: the model's weights and buffers (batch-norm statistics), the optimizer (buffers, step
    /// count, learning rate), torch's global generator (dropout masks) and every random layer's own generator
    /// (<see cref="IRandomLayer"/>: flips and crops).
    /// </summary>
    public static TrainingState ForSteps(nn.Module model, Optimizer optimizer) => new TrainingState()
        .Register("model", new ModelPart(model))
        .Register("optimizer", new OptimizerPart(optimizer))
        .Register("random", new GeneratorsPart(model));

    /// <summary>The registered parts' names, in registration order.</summary>
    public IEnumerable<string> Names => parts.Select(part => part.Name);

    /// <summary>Adds <paramref name="part"/> under <paramref name="name"/>; a name may be registered once.</summary>
    public TrainingState Register(string name, IStatePart part)
    {
        ArgumentNullException.ThrowIfNull(part);
        if (parts.Any(p => p.Name == name))
        {
            throw new InvalidOperationException($"A state part named '{name}' is already registered.");
        }

        parts.Add((name, part));
        return this;
    }

    /// <summary>A copy of every registered part's state.</summary>
    public StateRecord Capture()
    {
        var record = new StateRecord();
        try
        {
            using var scope = torch.NewDisposeScope();
            foreach (var (name, part) in parts)
            {
                part.Save(record, name + "/");
            }

            return record;
        }
        catch
        {
            record.Dispose();
            throw;
        }
    }

    /// <summary>Puts every registered part back to what <paramref name="record"/> holds.</summary>
    public void Restore(StateRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        foreach (var (name, part) in parts)
        {
            part.Restore(record, name + "/");
        }
    }

    /// <summary>The parameters and buffers of a module, by their state-dict names.</summary>
    private sealed class ModelPart(nn.Module model) : IStatePart
    {
        public void Save(StateRecord record, string prefix)
        {
            foreach (var (name, tensor) in model.state_dict())
            {
                record.Put(prefix + name, tensor);
            }
        }

        public void Restore(StateRecord record, string prefix)
        {
            foreach (var (name, tensor) in model.state_dict())
            {
                tensor.copy_(record.Tensor(prefix + name));
            }
        }
    }

    /// <summary>An optimizer's step count, learning rate, buffers and scalar state.</summary>
    private sealed class OptimizerPart(Optimizer optimizer) : IStatePart
    {
        public void Save(StateRecord record, string prefix)
        {
            record.PutNumbers(prefix + "iterations", optimizer.Iterations);
            record.PutNumbers(prefix + "learning_rate", optimizer.LearningRate);
            record.PutNumbers(prefix + "scalars", optimizer.ScalarState());
            record.PutNumbers(prefix + "slots", optimizer.Slots.Count);
            for (var i = 0; i < optimizer.Slots.Count; i++)
            {
                record.Put(SlotName(prefix, i), optimizer.Slots[i]);
            }
        }

        public void Restore(StateRecord record, string prefix)
        {
            var slots = Enumerable.Range(0, (int)record.Number(prefix + "slots")).Select(i => record.Tensor(SlotName(prefix, i))).ToArray();
            optimizer.RestoreState((long)record.Number(prefix + "iterations"), record.Number(prefix + "learning_rate"), slots, record.Numbers(prefix + "scalars"));
        }

        private static string SlotName(string prefix, int index) => $"{prefix}slot{index:D4}";
    }

    /// <summary>
    /// torch's global CPU generator (dropout and alpha dropout draw from it) and the own generator of every layer of the
    /// model that has one (<see cref="IRandomLayer"/>), by the layer's module name.
    /// </summary>
    private sealed class GeneratorsPart(nn.Module model) : IStatePart
    {
        public void Save(StateRecord record, string prefix)
        {
            using (var global = torch.get_rng_state())
            {
                record.Put(prefix + "torch", global);
            }

            foreach (var (name, layer) in RandomLayers())
            {
                using var state = layer.Generator.get_state();
                record.Put(prefix + "layer/" + name, state);
            }
        }

        public void Restore(StateRecord record, string prefix)
        {
            torch.set_rng_state(record.Tensor(prefix + "torch"));
            foreach (var (name, layer) in RandomLayers())
            {
                layer.Generator.set_state(record.Tensor(prefix + "layer/" + name));
            }
        }

        private IEnumerable<(string Name, IRandomLayer Layer)> RandomLayers() =>
            model.named_modules().Where(m => m.module is IRandomLayer).Select(m => (m.name, (IRandomLayer)m.module));
    }
}

/// <summary>A state part made of numbers that its owner saves and restores itself (a schedule, early stopping).</summary>
internal sealed class NumbersPart(Func<double[]> save, Action<double[]> restore) : IStatePart
{
    public void Save(StateRecord record, string prefix) => record.PutNumbers(prefix + "values", save());

    public void Restore(StateRecord record, string prefix) => restore(record.Numbers(prefix + "values"));
}

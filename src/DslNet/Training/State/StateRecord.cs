using DslNet.Training.Backup;
using TorchSharp;
using static TorchSharp.torch;

namespace DslNet.Training.State;

/// <summary>
/// A copy of a run's state as named entries: tensors (weights, optimizer buffers, generator states, permutations) and
/// numbers (counters, rates, early stopping's best value…). It owns its tensors (copies, outside every dispose scope). The
/// same record serves an in-memory save and restore (thread calibration, the learning-rate finder) and a training backup
/// on disk (<see cref="Write"/>, <see cref="Read"/>), so both hold exactly what the parts of the run put in.
/// </summary>
internal sealed class StateRecord : IDisposable
{
    private readonly SortedDictionary<string, Tensor> tensors = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, double[]> numbers = new(StringComparer.Ordinal);

    /// <summary>The names of the tensor entries, in ordinal order.</summary>
    public IEnumerable<string> TensorNames => tensors.Keys;

    /// <summary>Stores a copy of <paramref name="tensor"/> under <paramref name="name"/> (replacing an earlier entry).</summary>
    public void Put(string name, Tensor tensor)
    {
        using var noGrad = torch.no_grad();
        var copy = tensor.detach().clone().DetachFromDisposeScope();
        if (tensors.Remove(name, out var previous))
        {
            previous.Dispose();
        }

        tensors[name] = copy;
    }

    /// <summary>Stores <paramref name="values"/> under <paramref name="name"/>.</summary>
    public void PutNumbers(string name, params double[] values) => numbers[name] = [.. values];

    /// <summary>Whether a numbers entry <paramref name="name"/> exists.</summary>
    public bool HasNumbers(string name) => numbers.ContainsKey(name);

    /// <summary>Whether a tensor entry <paramref name="name"/> exists.</summary>
    public bool HasTensor(string name) => tensors.ContainsKey(name);

    /// <summary>The tensor stored under <paramref name="name"/> (still owned by the record).</summary>
    public Tensor Tensor(string name) =>
        tensors.TryGetValue(name, out var tensor) ? tensor : throw new InvalidDataException($"the saved state has no entry '{name}'.");

    /// <summary>The numbers stored under <paramref name="name"/>.</summary>
    public double[] Numbers(string name) =>
        numbers.TryGetValue(name, out var values) ? values : throw new InvalidDataException($"the saved state has no entry '{name}'.");

    /// <summary>The one number stored under <paramref name="name"/>.</summary>
    public double Number(string name) => Numbers(name) is [var value] ? value : throw new InvalidDataException($"the saved state's entry '{name}' is not one number.");

    /// <summary>Moves a tensor entry out of the record: the caller owns it then.</summary>
    public Tensor Take(string name)
    {
        var tensor = Tensor(name);
        tensors.Remove(name);
        return tensor;
    }

    /// <summary>Writes every entry (names, then values), in ordinal order of the names.</summary>
    public void Write(BinaryWriter writer)
    {
        writer.Write(numbers.Count);
        foreach (var (name, values) in numbers)
        {
            writer.Write(name);
            writer.Write(values.Length);
            foreach (var value in values)
            {
                writer.Write(value);
            }
        }

        writer.Write(tensors.Count);
        foreach (var (name, tensor) in tensors)
        {
            writer.Write(name);
            TensorIO.Write(writer, tensor);
        }
    }

    /// <summary>Reads a record written by <see cref="Write"/>; a damaged one is an <see cref="InvalidDataException"/>.</summary>
    public static StateRecord Read(BinaryReader reader)
    {
        var record = new StateRecord();
        try
        {
            var numberCount = Count(reader);
            for (var i = 0; i < numberCount; i++)
            {
                var name = reader.ReadString();
                var values = new double[Count(reader)];
                for (var j = 0; j < values.Length; j++)
                {
                    values[j] = reader.ReadDouble();
                }

                record.numbers[name] = values;
            }

            var tensorCount = Count(reader);
            for (var i = 0; i < tensorCount; i++)
            {
                var name = reader.ReadString();
                record.tensors[name] = TensorIO.Read(reader);
            }

            return record;
        }
        catch
        {
            record.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var tensor in tensors.Values)
        {
            tensor.Dispose();
        }

        tensors.Clear();
        numbers.Clear();
    }

    private static int Count(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        return count is >= 0 and <= 1 << 24 ? count : throw new InvalidDataException($"a count of {count} entries.");
    }
}

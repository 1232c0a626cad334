using System.Text.Json;
using DslNet.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace DslNet.Training.Backup;

/// <summary>
/// One training backup: everything a <c>Fit</c> needs to go on exactly where it was. It lives in one file,
/// <see cref="FileName"/>, in the backup folder: a <see cref="SealedFile"/> whose header is the <see cref="BackupManifest"/>
/// and whose checksummed payload is the state, so a backup is replaced atomically and a truncated or damaged one is
/// detected before anything is restored.
/// </summary>
internal sealed class TrainingBackup : IDisposable
{
    /// <summary>The backup's file name in the backup folder.</summary>
    public const string FileName = "training.dslnet-backup";

    private const string Magic = "DSLNETB1";
    private const string Kind = "DslNet training backup";
    private const int FormatVersion = 2;

    /// <summary>The intra-op thread count of the run (reused on resume: results depend on it).</summary>
    public int Threads { get; init; }

    /// <summary>Completed epochs.</summary>
    public int EpochsDone { get; init; }

    /// <summary>Steps done in epoch <see cref="EpochsDone"/> + 1 (0 = the backup was taken at an epoch end).</summary>
    public int StepsDone { get; init; }

    /// <summary>Optimizer steps across epochs (the schedules' iteration counter).</summary>
    public long Iteration { get; init; }

    /// <summary>Seconds the unfinished epoch has run so far (its row's time continues from there).</summary>
    public double EpochSeconds { get; init; }

    /// <summary>The unfinished epoch's running sums.</summary>
    public RunningState Running { get; init; }

    /// <summary>The best monitored value so far (the loop's own, also without early stopping).</summary>
    public double BestValue { get; init; }

    /// <summary>The epochs so far.</summary>
    public IReadOnlyList<EpochRow> Rows { get; init; } = [];

    /// <summary>The model's parameters and buffers by state name.</summary>
    public Dictionary<string, Tensor> Weights { get; init; } = [];

    /// <summary>The best epoch's state (null before any epoch improved).</summary>
    public ModelState? Best { get; set; }

    public long OptimizerIterations { get; init; }

    public double LearningRate { get; init; }

    public Tensor[] OptimizerSlots { get; init; } = [];

    public double[] OptimizerScalars { get; init; } = [];

    public double[] ScheduleState { get; init; } = [];

    public double[] EarlyStoppingState { get; init; } = [];

    /// <summary>The shuffling generator's state and the unfinished epoch's permutation (null without shuffling).</summary>
    public Tensor? SamplerGenerator { get; init; }

    public Tensor? Permutation { get; init; }

    /// <summary>torch's global CPU generator, which dropout draws from.</summary>
    public Tensor TorchGenerator { get; init; } = null!;

    public static string PathIn(string folder) => Path.Combine(Path.GetFullPath(folder), FileName);

    /// <summary>
    /// Reads the backup in <paramref name="folder"/>, or returns null when there is none. Throws
    /// <see cref="InvalidDataException"/> (naming the file) when it is truncated, corrupt, of another format, or belongs to
    /// another model, settings or data than <paramref name="expected"/>; nothing is changed then.
    /// </summary>
    public static TrainingBackup? Read(string folder, BackupManifest expected)
    {
        var path = PathIn(folder);
        if (!File.Exists(path))
        {
            return null;
        }

        var (headerText, payload) = SealedFile.Read(path, Magic, Kind);
        Header? header;
        try
        {
            header = JsonSerializer.Deserialize<Header>(headerText);
        }
        catch (JsonException)
        {
            header = null;
        }

        if (header?.Manifest is not { } saved || header.Version != FormatVersion)
        {
            throw new InvalidDataException($"'{path}' is a {Kind} of another DslNet version (or its header is damaged); remove the folder to start over.");
        }

        var differences = expected.Differences(saved);
        if (differences.Count > 0)
        {
            throw new InvalidDataException(
                $"'{path}' is not a backup of this training run: {string.Join("; and ", differences)}. " +
                "Use another FitOptions.BackupDirectory for this run, or remove the folder to start over (nothing was changed).");
        }

        try
        {
            using var reader = new BinaryReader(new MemoryStream(payload, writable: false));
            return ReadPayload(reader);
        }
        catch (Exception error) when (error is EndOfStreamException or InvalidDataException or ArgumentException or IOException)
        {
            throw new InvalidDataException($"'{path}' is a damaged {Kind}: {error.Message}", error);
        }
    }

    /// <summary>Writes this backup into <paramref name="folder"/>, atomically replacing the previous one.</summary>
    public void Write(string folder, BackupManifest manifest)
    {
        var header = JsonSerializer.Serialize(new Header(FormatVersion, manifest));
        SealedFile.Write(PathIn(folder), Magic, header, WritePayload);
    }

    /// <summary>
    /// Removes the backup of a completed run, and the folder when nothing else is in it. Leftover temporary files of
    /// writes a kill interrupted are removed too.
    /// </summary>
    public static void Remove(string folder)
    {
        var full = Path.GetFullPath(folder);
        if (!Directory.Exists(full))
        {
            return;
        }

        RemoveLeftovers(full);
        File.Delete(PathIn(full));
        if (!Directory.EnumerateFileSystemEntries(full).Any())
        {
            Directory.Delete(full);
        }
    }

    /// <summary>Deletes temporary files that an interrupted backup write left behind (their names are this backup's own).</summary>
    public static void RemoveLeftovers(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return;
        }

        foreach (var leftover in Directory.EnumerateFiles(folder, $".{FileName}.*.tmp"))
        {
            File.Delete(leftover);
        }
    }

    public void Dispose()
    {
        foreach (var tensor in Weights.Values)
        {
            tensor.Dispose();
        }

        foreach (var slot in OptimizerSlots)
        {
            slot.Dispose();
        }

        Best?.Dispose();
        SamplerGenerator?.Dispose();
        Permutation?.Dispose();
        TorchGenerator?.Dispose();
    }

    private void WritePayload(BinaryWriter w)
    {
        w.Write(Threads);
        w.Write(EpochsDone);
        w.Write(StepsDone);
        w.Write(Iteration);
        w.Write(EpochSeconds);
        w.Write(Running.LossSum);
        w.Write(Running.Samples);
        WriteOptional(w, Running.Correct);
        WriteOptional(w, Running.SquaredErrors);
        WriteOptional(w, Running.AbsoluteErrors);
        w.Write(Running.ErrorCount);
        w.Write(BestValue);
        w.Write(Rows.Count);
        foreach (var row in Rows)
        {
            w.Write(row.Epoch);
            w.Write(row.Loss);
            w.Write(row.Accuracy);
            w.Write(row.ValLoss);
            w.Write(row.ValAccuracy);
            w.Write(row.LearningRate);
            w.Write(row.Seconds);
            w.Write(row.Rmse);
            w.Write(row.Mae);
            w.Write(row.ValRmse);
            w.Write(row.ValMae);
        }

        WriteTensors(w, Weights);
        w.Write(Best is not null);
        if (Best is not null)
        {
            w.Write(Best.Epoch);
            WriteTensors(w, Best.Entries);
        }

        w.Write(OptimizerIterations);
        w.Write(LearningRate);
        w.Write(OptimizerSlots.Length);
        foreach (var slot in OptimizerSlots)
        {
            TensorIO.Write(w, slot);
        }

        WriteDoubles(w, OptimizerScalars);
        WriteDoubles(w, ScheduleState);
        WriteDoubles(w, EarlyStoppingState);
        TensorIO.WriteOptional(w, SamplerGenerator);
        TensorIO.WriteOptional(w, Permutation);
        TensorIO.Write(w, TorchGenerator);
    }

    private static TrainingBackup ReadPayload(BinaryReader r)
    {
        var threads = r.ReadInt32();
        var epochsDone = r.ReadInt32();
        var stepsDone = r.ReadInt32();
        var iteration = r.ReadInt64();
        var epochSeconds = r.ReadDouble();
        var running = new RunningState(r.ReadDouble(), r.ReadInt64(), ReadOptionalInt64(r), ReadOptionalDouble(r), ReadOptionalDouble(r), r.ReadInt64());
        var bestValue = r.ReadDouble();
        var rows = new EpochRow[Count(r)];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = new EpochRow(r.ReadInt32(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble())
            {
                Rmse = r.ReadDouble(),
                Mae = r.ReadDouble(),
                ValRmse = r.ReadDouble(),
                ValMae = r.ReadDouble(),
            };
        }

        var weights = ReadTensors(r);
        ModelState? best = null;
        if (r.ReadBoolean())
        {
            var epoch = r.ReadInt32();
            best = ModelState.FromEntries(ReadTensors(r), epoch);
        }

        var optimizerIterations = r.ReadInt64();
        var learningRate = r.ReadDouble();
        var slots = new Tensor[Count(r)];
        for (var i = 0; i < slots.Length; i++)
        {
            slots[i] = TensorIO.Read(r);
        }

        return new TrainingBackup
        {
            Threads = threads,
            EpochsDone = epochsDone,
            StepsDone = stepsDone,
            Iteration = iteration,
            EpochSeconds = epochSeconds,
            Running = running,
            BestValue = bestValue,
            Rows = rows,
            Weights = weights,
            Best = best,
            OptimizerIterations = optimizerIterations,
            LearningRate = learningRate,
            OptimizerSlots = slots,
            OptimizerScalars = ReadDoubles(r),
            ScheduleState = ReadDoubles(r),
            EarlyStoppingState = ReadDoubles(r),
            SamplerGenerator = TensorIO.ReadOptional(r),
            Permutation = TensorIO.ReadOptional(r),
            TorchGenerator = TensorIO.Read(r),
        };
    }

    private static void WriteTensors(BinaryWriter w, IReadOnlyDictionary<string, Tensor> tensors)
    {
        w.Write(tensors.Count);
        foreach (var (name, tensor) in tensors)
        {
            w.Write(name);
            TensorIO.Write(w, tensor);
        }
    }

    private static Dictionary<string, Tensor> ReadTensors(BinaryReader r)
    {
        var count = Count(r);
        var tensors = new Dictionary<string, Tensor>(count);
        for (var i = 0; i < count; i++)
        {
            var name = r.ReadString();
            tensors[name] = TensorIO.Read(r);
        }

        return tensors;
    }

    private static void WriteOptional(BinaryWriter w, long? value)
    {
        w.Write(value.HasValue);
        w.Write(value ?? 0);
    }

    private static void WriteOptional(BinaryWriter w, double? value)
    {
        w.Write(value.HasValue);
        w.Write(value ?? 0);
    }

    private static long? ReadOptionalInt64(BinaryReader r)
    {
        var present = r.ReadBoolean();
        var value = r.ReadInt64();
        return present ? value : null;
    }

    private static double? ReadOptionalDouble(BinaryReader r)
    {
        var present = r.ReadBoolean();
        var value = r.ReadDouble();
        return present ? value : null;
    }

    private static void WriteDoubles(BinaryWriter w, double[] values)
    {
        w.Write(values.Length);
        foreach (var value in values)
        {
            w.Write(value);
        }
    }

    private static double[] ReadDoubles(BinaryReader r)
    {
        var values = new double[Count(r)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = r.ReadDouble();
        }

        return values;
    }

    private static int Count(BinaryReader r)
    {
        var count = r.ReadInt32();
        return count is >= 0 and <= 1 << 24 ? count : throw new InvalidDataException($"a count of {count} entries.");
    }

    private sealed record Header(int Version, BackupManifest? Manifest);
}

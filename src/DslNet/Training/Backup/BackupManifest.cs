using System.Globalization;
using DslNet.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace DslNet.Training.Backup;

/// <summary>
/// What a training backup belongs to: the model (name and architecture), the settings that decide the run's numbers
/// (epochs, batch size, shuffling, seed, optimizer and which parameters it trains, schedule, early stopping) and the data
/// (sizes, shapes and a cheap checksum of the values, sample weights included). A backup resumes only the run its manifest
/// matches; anything else is one clear error.
/// </summary>
internal sealed record BackupManifest(string Model, string Architecture, string Settings, string Data)
{
    public static BackupManifest For(nn.Module model, string modelName, Dataset train, Dataset? validation, TrainingSettings settings,
        Optimizer optimizer, LearningRateSchedule? schedule, EarlyStopping? earlyStopping)
    {
        var architecture = ModelArchitecture.Of(model, modelName);
        var run = string.Join("; ",
            $"epochs {settings.Epochs}", $"batch size {settings.BatchSize}", $"shuffle {settings.Shuffle}", $"seed {settings.Seed}",
            Describe(optimizer), Trained(model, optimizer), schedule is null ? "no schedule" : Describe(schedule),
            earlyStopping is null ? "no early stopping" : Format($"early stopping on {earlyStopping.Monitor}, patience {earlyStopping.Patience}, min delta {earlyStopping.MinDelta}, restore best {earlyStopping.RestoreBestWeights}"),
            settings.Options.ClassWeights is { } weights
                ? "class weights " + string.Join(", ", weights.OrderBy(w => w.Key).Select(w => Format($"{w.Key}: {w.Value}")))
                : "no class weights");
        // The data after FitOptions.ValidationSplit took its share, so another split is another data set here.
        var data = $"training {Describe(train)}; validation {(validation is null ? "none" : Describe(validation))}";
        return new BackupManifest(architecture.Name, architecture.Fingerprint, run, data);
    }

    /// <summary>
    /// Which parameters the optimizer trains, by name (its buffers are laid out in that order): freezing another layer of
    /// the same size gives the same element count but another run, whose moments would land on the wrong weights.
    /// </summary>
    private static string Trained(nn.Module model, Optimizer optimizer)
    {
        var trained = optimizer.TrainedParameters.Select(p => p.Handle).ToHashSet();
        var names = model.named_parameters().Where(p => trained.Contains(p.parameter.Handle)).Select(p => p.name);
        return "trains " + string.Join(", ", names);
    }

    /// <summary>Every way <paramref name="saved"/> (the backup's) differs from this run, in words; empty when they match.</summary>
    public IReadOnlyList<string> Differences(BackupManifest saved)
    {
        var differences = new List<string>();
        if (saved.Model != Model || saved.Architecture != Architecture)
        {
            differences.Add($"it was made by model {saved.Model} (architecture {saved.Architecture}), this is {Model} (architecture {Architecture})");
        }

        if (saved.Settings != Settings)
        {
            differences.Add($"its settings were [{saved.Settings}], this run's are [{Settings}]");
        }

        if (saved.Data != Data)
        {
            differences.Add($"its data was [{saved.Data}], this run's is [{Data}]");
        }

        return differences;
    }

    private static string Describe(Optimizer optimizer)
    {
        var specific = optimizer switch
        {
            Sgd s => Format($", momentum {s.Momentum}, nesterov {s.Nesterov}"),
            AdamW w => Format($", β1 {w.Beta1}, β2 {w.Beta2}, ε {w.Epsilon}, weight decay {w.WeightDecay}"),
            AdamFamilyOptimizer a => Format($", β1 {a.Beta1}, β2 {a.Beta2}, ε {a.Epsilon}"),
            RmsProp r => Format($", ρ {r.Rho}, momentum {r.Momentum}, ε {r.Epsilon}"),
            AdaGrad g => Format($", initial accumulator {g.InitialAccumulator}, ε {g.Epsilon}"),
            _ => "",
        };
        return Format($"{optimizer.GetType().Name} lr {optimizer.LearningRate}{specific}, clip norm {optimizer.ClipNorm}, clip value {optimizer.ClipValue}, {optimizer.ElementCount} values");
    }

    private static string Describe(LearningRateSchedule schedule) => schedule switch
    {
        OneCycleSchedule c => Format($"1cycle over {c.Iterations} iterations, rates {c.StartRate}/{c.MaxRate}/{c.LastRate}, last {c.LastIterations}"),
        ExponentialDecaySchedule e => Format($"exponential decay from {e.InitialRate} over {e.Steps} steps"),
        PowerDecaySchedule p => Format($"power decay from {p.InitialRate} over {p.Steps} steps, power {p.Power}"),
        PiecewiseConstantSchedule p => Format($"piecewise constant at [{string.Join(", ", p.Boundaries)}] rates [{string.Join(", ", p.Rates)}]"),
        ReduceOnPlateauSchedule r => Format($"reduce on plateau of {r.Monitor}, factor {r.Factor}, patience {r.Patience}, min rate {r.MinRate}, min delta {r.MinDelta}"),
        _ => schedule.GetType().FullName ?? schedule.GetType().Name,
    };

    /// <summary>Sizes, shapes and a checksum of the values: the sum of every value and position-weighted sums, in float64 on one thread.</summary>
    private static string Describe(Dataset data)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        using var oneThread = TrainingThreads.Use(1); // the same sums whatever the thread count (a reduction's order depends on it)
        var features = data.Features.reshape(data.Features.shape[0], -1).to_type(ScalarType.Float64);
        var labels = data.Labels.reshape(data.Labels.shape[0], -1).to_type(ScalarType.Float64);
        var weights = torch.arange(1, data.Features.shape[0] + 1, dtype: ScalarType.Float64, device: features.device);
        var featureSum = features.sum().item<double>();
        var featureWeighted = features.sum(1).dot(weights).item<double>();
        var labelWeighted = labels.sum(1).dot(weights).item<double>();
        var sampleWeights = data.Weights is { } given
            ? Format($", sample weights checksums {given.to_type(ScalarType.Float64).sum().item<double>():R}/{given.reshape(given.shape[0]).to_type(ScalarType.Float64).dot(weights).item<double>():R}")
            : string.Empty;
        return Format($"{data.Count} samples, features {Dataset.ShapeText(data.Features.shape)} {data.Features.dtype}, labels {Dataset.ShapeText(data.Labels.shape)} {data.Labels.dtype}, checksums {featureSum:R}/{featureWeighted:R}/{labelWeighted:R}{sampleWeights}");
    }

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

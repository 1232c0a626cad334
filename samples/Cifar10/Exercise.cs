using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DslNet.IO;
using static TorchSharp.torch;

namespace DslNet.Samples.Cifar10;

/// <summary>Runs the parts of exercise 8 on the real CIFAR-10: trains, then writes history, curves and a result line per run.</summary>
public sealed class Exercise
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private readonly ExerciseOptions options;
    private readonly TextWriter output;
    private (Dataset Train, Dataset Valid)? data;
    private Dataset? testSet;

    public Exercise(ExerciseOptions options, TextWriter output)
    {
        this.options = options;
        this.output = output;
    }

    public void Run()
    {
        if (options.Part == "report")
        {
            var markdown = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(options.OutputDir))!, "RESULTS.md");
            ResultsReport.Write(options.OutputDir, markdown);
            OnnxExport.WriteReport(options.OutputDir, markdown);
            return;
        }

        if (options.Part is "pytorch" or "pytorch-import")
        {
            var twin = new PyTorchTwinRun(options, output);
            if (options.Part == "pytorch")
            {
                twin.Export();
            }
            else
            {
                twin.Import();
            }

            return;
        }

        if (options.Part is "pretrained" or "pretrained-sizes" or "pretrained-all")
        {
            var run = new PretrainedRun(options, output);
            if (options.Part == "pretrained")
            {
                run.Run();
            }
            else if (options.Part == "pretrained-all")
            {
                run.AllClasses();
            }
            else
            {
                run.Sizes();
            }

            return;
        }

        if (options.Part == "export")
        {
            new OnnxExport(options, output).Run();
            return;
        }

        var parts = options.Part == "all" ? ["b", "c", "d", "e", "f"] : new[] { options.Part };
        foreach (var part in parts)
        {
            // With --backup, a part that finished before a kill is not trained again (its marker says so).
            var done = options.BackupDir is { } backup ? Path.Combine(backup, $"{part}.done") : null;
            if (done is not null && File.Exists(done))
            {
                output.WriteLine($"== part {part}: finished before the restart (see {done})");
                continue;
            }

            RunPart(part);
            if (done is not null)
            {
                AtomicFile.WriteAllText(done, $"part {part} finished\n");
            }
        }

        if (options.BackupDir is { } folder && Directory.Exists(folder))
        {
            // Every part finished: nothing is left to resume (each Fit already removed its own backup).
            foreach (var part in parts)
            {
                File.Delete(Path.Combine(folder, $"{part}.done"));
            }

            if (!Directory.EnumerateFileSystemEntries(folder).Any())
            {
                Directory.Delete(folder);
            }
        }
    }

    /// <summary>Runs one part and returns its result line (also written to <c>{out}/{part}/result.json</c>).</summary>
    public RunResult RunPart(string part) => part switch
    {
        "b" => Train(part, new SwishNet()),
        "c" => Train(part, new BatchNormNet()),
        "d" => Train(part, new SeluNet()),
        "e" => Train(part, new AlphaDropoutNet()),
        "f" => Train(part, new OneCycleNet(), findLearningRateFirst: true),
        "lr-search" => SearchLearningRates(),
        "cnn" => Train(part, new ConvNet()),
        "resnet" => Train(part, new FastNet(), evaluateTestSet: true),
        _ => throw new ArgumentException($"unknown part '{part}'"),
    };

    private RunResult Train(string part, IModel model, bool findLearningRateFirst = false, double? learningRate = null, string? runName = null, int? epochs = null,
        bool evaluateTestSet = false)
    {
        var command = Stopwatch.StartNew();
        using var disposeModel = model;
        var (train, valid) = Data();
        var folder = Path.Combine(options.OutputDir, runName ?? part);
        var tensorBoard = options.TensorBoardDir is null ? null : Path.Combine(options.TensorBoardDir, runName ?? part);
        Directory.CreateDirectory(folder);
        output.WriteLine();
        output.WriteLine($"== part {part}: {model.Name}, {model.ParameterCount:N0} parameters, {train.Count:N0} training images");

        double? suggested = null;
        if (findLearningRateFirst)
        {
            var search = model.FindLearningRate(train);
            search.SaveCsv(Path.Combine(folder, $"{model.Name}.lr-search.csv"));
            search.SavePlot(Path.Combine(folder, $"{model.Name}.lr-search.png"));
            if (tensorBoard is not null)
            {
                search.SaveTensorBoard(tensorBoard);
            }

            suggested = search.SuggestedRate;
            output.WriteLine($"learning-rate finder: suggested rate {search.SuggestedRate:G3} (curve in {folder})");
        }

        var history = model.Fit(train, valid, new FitOptions
        {
            FlushSubnormals = !options.KeepSubnormals,
            Epochs = options.Epochs ?? epochs,
            Progress = options.Progress,
            LogDirectory = folder,
            Output = output,
            LearningRate = learningRate,
            Threads = options.Threads,
            BackupDirectory = options.BackupDir is { } backup ? Path.Combine(backup, runName ?? part) : null,
            TensorBoardDirectory = tensorBoard,
        });
        // The kept model, for `export` (ONNX) and any later use.
        model.Save(OnnxExport.WeightsPath(folder, model.Name));
        var kept = model.Evaluate(valid);
        // The official test batch, touched once, by the kept model: what the records report beside the validation figure.
        Metrics? test = evaluateTestSet ? model.Evaluate(TestSet()) : null;
        if (test is { } testMetrics)
        {
            output.WriteLine($"test set (10,000 images of the official test batch): loss {testMetrics.Loss:0.0000}, accuracy {testMetrics.Accuracy:0.0000}");
        }

        double? mcAccuracy = null, mcLoss = null;
        if (model is IMonteCarloModel monteCarlo)
        {
            using var scope = NewDisposeScope();
            var monteCarloMetrics = Metrics.FromProbabilities(monteCarlo.PredictMonteCarlo(valid.Features, samples: 10), valid.Labels);
            (mcLoss, mcAccuracy) = (monteCarloMetrics.Loss, monteCarloMetrics.Accuracy);
            output.WriteLine($"MC dropout (10 samples): val_loss {mcLoss:0.0000}, val_accuracy {mcAccuracy:0.0000}");
        }

        var result = new RunResult(
            Part: part,
            Model: model.Name,
            LearningRate: learningRate,
            ValLoss: kept.Loss,
            ValAccuracy: kept.Accuracy,
            BestEpoch: history.BestEpoch,
            KeptEpoch: history.KeptEpoch,
            StoppedEpoch: history.Rows.Count,
            SecondsPerEpoch: history.Rows.Count == 0 ? 0 : history.Rows.Average(row => row.Seconds),
            TotalSeconds: history.TotalSeconds,
            TrainSize: train.Count,
            Threads: history.Threads,
            McValLoss: mcLoss,
            McValAccuracy: mcAccuracy,
            SuggestedLearningRate: suggested,
            StopReason: history.StopReason,
            Finished: DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))
        {
            TestLoss = test?.Loss,
            TestAccuracy = test?.Accuracy,
            CommandSeconds = command.Elapsed.TotalSeconds,
        };
        AtomicFile.WriteAllText(Path.Combine(folder, "result.json"), JsonSerializer.Serialize(result, Json) + "\n");
        output.WriteLine($"kept model (epoch {result.KeptEpoch}): val_loss {kept.Loss:0.0000}, val_accuracy {kept.Accuracy:0.0000}; " +
                         $"{result.SecondsPerEpoch:0.0} s/epoch, {result.TotalSeconds:0} s in all; results in {folder}");
        return result;
    }

    private RunResult SearchLearningRates()
    {
        RunResult? best = null;
        foreach (var rate in options.Rates)
        {
            var name = "lr-search/" + rate.ToString("0e0", CultureInfo.InvariantCulture);
            // The book compared the learning curves of 10 epochs per rate.
            var result = Train("lr-search", new SwishNet(), learningRate: rate, runName: name, epochs: 10);
            if (best is null || result.ValLoss < best.ValLoss)
            {
                best = result;
            }
        }

        output.WriteLine($"best learning rate for part b: {best!.LearningRate:G3} (val_loss {best.ValLoss:0.0000})");
        return best;
    }

    /// <summary>The official test batch, from the same load as <see cref="Data"/> (the files are read once).</summary>
    private Dataset TestSet()
    {
        Data();
        return testSet!;
    }

    private (Dataset Train, Dataset Valid) Data()
    {
        if (data is null)
        {
            var clock = Stopwatch.StartNew();
            var (train, valid, test) = DslNet.Data.Cifar10.Load(options.DataDir);
            testSet = test;
            if (options.TrainSize is int size && size < train.Count)
            {
                train = train.Take(size);
            }

            output.WriteLine($"CIFAR-10 loaded in {clock.Elapsed.TotalSeconds:0.0} s: {train.Count:N0} training, {valid.Count:N0} validation images (the first 5,000 training images, as the book)");
            data = (train, valid);
        }

        return data.Value;
    }
}

/// <summary>One run's result line (JSON): the kept model's validation figures and the run's timings.</summary>
public sealed record RunResult(
    string Part,
    string Model,
    double? LearningRate,
    double ValLoss,
    double ValAccuracy,
    int BestEpoch,
    int KeptEpoch,
    int StoppedEpoch,
    double SecondsPerEpoch,
    double TotalSeconds,
    int TrainSize,
    int Threads,
    double? McValLoss,
    double? McValAccuracy,
    double? SuggestedLearningRate,
    string? StopReason,
    string Finished)
{
    /// <summary>The kept model's loss on the official test batch (parts that report it: <c>resnet</c>).</summary>
    public double? TestLoss { get; init; }

    /// <summary>The kept model's accuracy on the official test batch.</summary>
    public double? TestAccuracy { get; init; }

    /// <summary>The part's wall time from building the model to its result (data loading aside; training, the final evaluations and saving included).</summary>
    public double? CommandSeconds { get; init; }
}

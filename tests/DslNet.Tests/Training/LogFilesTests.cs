using DslNet.Training;
using TorchSharp;
using Xunit;

namespace DslNet.Tests.Training;

[Collection(TorchRandomCollection.Name)]
public sealed class LogFilesTests : IDisposable
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private readonly string folder = Directory.CreateTempSubdirectory("dslnet-training-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void FitWritesTheBestCheckpointHistoryAndCurves()
    {
        var (train, validation) = SyntheticData.Blobs(perClassTrain: 10, perClassValidation: 5);
        using var model = new TinyClassifier(20, 16, 10);
        using var optimizer = new Adam(model.parameters(), 0.01);
        var settings = new TrainingSettings("Tiny", 4, 16, true, 1) { Options = new FitOptions { Progress = false, LogDirectory = folder } };

        var history = TrainingLoop.Fit(model, train, validation, settings, optimizer, null, null);

        var checkpoint = Path.Combine(folder, "Tiny.best.weights");
        Assert.True(File.Exists(checkpoint));
        using var reloaded = new TinyClassifier(20, 16, 10, seed: 999);
        reloaded.load(checkpoint);
        Assert.Equal(history.Best.ValLoss, TrainingLoop.Evaluate(reloaded, validation, 16).Loss, 1e-6);

        var loaded = History.LoadCsv(Path.Combine(folder, "Tiny.history.csv"));
        Assert.Equal(history.Rows, loaded.Rows);
        AssertPng(Path.Combine(folder, "Tiny.curves.png"));
        Assert.Equal(["Tiny.best.weights", "Tiny.curves.png", "Tiny.history.csv"], Directory.GetFiles(folder).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void AFailedCheckpointWriteLeavesThePreviousOneIntactAndNoTemporaryFile()
    {
        var (train, validation) = SyntheticData.Blobs(perClassTrain: 10, perClassValidation: 5);
        using var model = new TinyClassifier(20, 16, 10);
        using var optimizer = new Adam(model.parameters(), 0.01);
        var writes = 0;
        var settings = new TrainingSettings("Tiny", 5, 16, true, 1)
        {
            Options = new FitOptions { Progress = false, LogDirectory = folder },
            WeightsWriter = (module, path) =>
            {
                if (++writes == 2)
                {
                    File.WriteAllBytes(path, [1, 2, 3]);
                    throw new IOException("disk full (simulated)");
                }

                module.save(path);
            },
        };

        var error = Assert.Throws<IOException>(() => TrainingLoop.Fit(model, train, validation, settings, optimizer, null, null));

        Assert.Contains("simulated", error.Message);
        Assert.Equal(["Tiny.best.weights"], Directory.GetFiles(folder).Select(Path.GetFileName));
        using var reloaded = new TinyClassifier(20, 16, 10, seed: 999);
        reloaded.load(Path.Combine(folder, "Tiny.best.weights"));
    }

    [Fact]
    public void HistoryCsvRoundTripsHeaderAndRows()
    {
        var history = new History();
        history.Add(new EpochRow(1, 2.25, 0.125, 2.5, 0.1, 5e-5, 12.75));
        history.Add(new EpochRow(2, 1.0 / 3, double.NaN, double.NaN, double.NaN, 1e-3, 0.5));
        var path = Path.Combine(folder, "h.csv");

        history.SaveCsv(path);

        var lines = File.ReadAllLines(path);
        Assert.Equal("epoch,loss,accuracy,val_loss,val_accuracy,lr,seconds", lines[0]);
        Assert.Equal("1,2.25,0.125,2.5,0.1,5E-05,12.75", lines[1]);
        Assert.Equal(history.Rows, History.LoadCsv(path).Rows);
        File.WriteAllText(path, "a,b\n1,2\n");
        Assert.Contains("header", Assert.Throws<InvalidDataException>(() => History.LoadCsv(path)).Message);
    }

    [Fact]
    public void HistoryBestFollowsTheMonitor()
    {
        var history = new History(Monitored.ValAccuracy);
        history.Add(new EpochRow(1, 1, 0.5, 0.9, 0.6, 0.1, 1));
        history.Add(new EpochRow(2, 0.8, 0.6, 0.95, 0.7, 0.1, 1));
        history.Add(new EpochRow(3, 0.7, 0.7, 0.85, 0.65, 0.1, 1));
        Assert.Equal(2, history.BestEpoch);

        var byLoss = new History();
        foreach (var row in history.Rows)
        {
            byLoss.Add(row);
        }

        Assert.Equal(3, byLoss.BestEpoch);
        var noValidation = new History();
        noValidation.Add(new EpochRow(1, 1, 0.5, double.NaN, double.NaN, 0.1, 1));
        noValidation.Add(new EpochRow(2, 0.5, 0.5, double.NaN, double.NaN, 0.1, 1));
        Assert.Equal(2, noValidation.BestEpoch);
    }

    [Fact]
    public void SavePlotWritesAPng()
    {
        var history = new History();
        for (var e = 1; e <= 30; e++)
        {
            history.Add(new EpochRow(e, 2.0 / e, 1 - 1.0 / e, 2.2 / e + 0.01 * e, 0.9 - 1.0 / e, 1e-3, 1));
        }

        var path = Path.Combine(folder, "curves.png");
        history.SavePlot(path);
        AssertPng(path);
    }

    [Fact]
    public void LearningRateSearchSavesCsvAndALogScalePlot()
    {
        var rates = Enumerable.Range(0, 50).Select(i => 1e-4 * Math.Pow(1e4, i / 50.0)).ToArray();
        var losses = rates.Select(r => 2.3 - Math.Log10(r / 1e-4) * 0.3 + (r > 0.1 ? 40 * r : 0)).ToArray();
        var search = new LearningRateSearch(rates, losses);

        search.SaveCsv(Path.Combine(folder, "lr.csv"));
        search.SavePlot(Path.Combine(folder, "lr.png"));

        var lines = File.ReadAllLines(Path.Combine(folder, "lr.csv"));
        Assert.Equal("rate,loss", lines[0]);
        Assert.Equal(51, lines.Length);
        AssertPng(Path.Combine(folder, "lr.png"));
        Assert.InRange(search.SuggestedRate, 1e-3, 1e-2);
    }

    private static void AssertPng(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(PngSignature, bytes.Take(8));
        Assert.True(bytes.Length > 5_000, $"{path} has {bytes.Length} bytes");
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using DslNet.IO;

namespace DslNet.Samples.Cifar10;

/// <summary>Rewrites the measured-runs table of RESULTS.md (between its markers) from the result.json files.</summary>
public static class ResultsReport
{
    public const string Begin = "<!-- results:begin -->";
    public const string End = "<!-- results:end -->";

    public static void Write(string resultsFolder, string resultsMarkdown)
    {
        var options = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
        var results = Directory.Exists(resultsFolder)
            ? Directory.GetFiles(resultsFolder, "result.json", SearchOption.AllDirectories)
                .Select(path => JsonSerializer.Deserialize<RunResult>(File.ReadAllText(path), options)!)
                .OrderBy(result => result.Part, StringComparer.Ordinal)
                .ThenBy(result => result.LearningRate ?? 0)
                .ToList()
            : [];

        var table = new StringBuilder();
        table.AppendLine(Begin);
        table.AppendLine("| part | model | lr | train images | val loss | val accuracy | test accuracy | MC dropout val accuracy | kept epoch | epochs run | s/epoch | total | threads | finished (UTC) |");
        table.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var r in results)
        {
            table.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Part} | {r.Model} | {(r.LearningRate is double lr ? lr.ToString("g3", CultureInfo.InvariantCulture) : "declared")} | {r.TrainSize:N0} | {r.ValLoss:0.0000} | {r.ValAccuracy:0.0000} | " +
                $"{(r.TestAccuracy is double test ? test.ToString("0.0000", CultureInfo.InvariantCulture) : "")} | " +
                $"{(r.McValAccuracy is double mc ? mc.ToString("0.0000", CultureInfo.InvariantCulture) : "")} | {r.KeptEpoch} | {r.StoppedEpoch} | {r.SecondsPerEpoch:0.0} | {r.TotalSeconds / 60:0.0} min | {r.Threads} | {r.Finished} |"));
        }

        table.Append(End);
        var text = File.Exists(resultsMarkdown) ? File.ReadAllText(resultsMarkdown) : $"# Results\n\n{Begin}\n{End}\n";
        var start = text.IndexOf(Begin, StringComparison.Ordinal);
        var end = text.IndexOf(End, StringComparison.Ordinal);
        if (start < 0 || end < start)
        {
            throw new InvalidDataException($"{resultsMarkdown} has no '{Begin}' … '{End}' markers; add them where the table goes.");
        }

        AtomicFile.WriteAllText(resultsMarkdown, text[..start] + table + text[(end + End.Length)..]);
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using DslNet.IO;
using Microsoft.ML.OnnxRuntime;
using static TorchSharp.torch;

namespace DslNet.Samples.Cifar10;

/// <summary>
/// <c>export</c>: for each part b–f, loads the model the part saved (<c>{out}/{part}/{Model}.weights</c>; nothing is
/// trained here), writes <c>{Model}.onnx</c> beside it, runs it in ONNX Runtime on the validation set and prints ONNX
/// Runtime's accuracy beside DslNet's (and the largest difference between their probabilities).
/// </summary>
public sealed class OnnxExport(ExerciseOptions options, TextWriter output)
{
    public const string Begin = "<!-- export:begin -->";
    public const string End = "<!-- export:end -->";
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The parts and how to load each one's saved model.</summary>
    private static readonly (string Part, string Model, Func<string, IModel> Load)[] Parts =
    [
        ("b", nameof(SwishNet), path => SwishNet.Load(path)),
        ("c", nameof(BatchNormNet), path => BatchNormNet.Load(path)),
        ("d", nameof(SeluNet), path => SeluNet.Load(path)),
        ("e", nameof(AlphaDropoutNet), path => AlphaDropoutNet.Load(path)),
        ("f", nameof(OneCycleNet), path => OneCycleNet.Load(path)),
    ];

    /// <summary>The weights file a part's run saves (the kept model).</summary>
    public static string WeightsPath(string folder, string model) => Path.Combine(folder, $"{model}.weights");

    public IReadOnlyList<ExportResult> Run()
    {
        Dataset? valid = null;
        var results = new List<ExportResult>();
        output.WriteLine($"== export: the parts' saved models to ONNX (opset {DslNet.Onnx.OnnxGraphBuilder.Opset}), run by ONNX Runtime on the 5,000 validation images");
        foreach (var (part, name, load) in Parts)
        {
            var folder = Path.Combine(options.OutputDir, part);
            var weights = WeightsPath(folder, name);
            if (!File.Exists(weights))
            {
                output.WriteLine($"part {part} ({name}): no saved weights at {weights}; run part {part} first (dotnet run -c Release --project samples/Cifar10 -- {part}).");
                results.Add(new ExportResult(part, name, null, null, null, null, null));
                continue;
            }

            valid ??= DslNet.Data.Cifar10.Load(options.DataDir).Valid;
            using var model = load(weights);
            var onnx = Path.Combine(folder, $"{name}.onnx");
            model.ExportOnnx(onnx);
            using var scope = NewDisposeScope();
            var dslnet = model.Predict(valid.Features);
            var onnxRuntime = RunOnnx(onnx, valid.Features);
            var dslnetMetrics = Metrics.FromProbabilities(dslnet, valid.Labels);
            var onnxMetrics = Metrics.FromProbabilities(onnxRuntime, valid.Labels);
            var difference = (dslnet - onnxRuntime).abs().max().item<float>();
            var result = new ExportResult(part, name, Path.GetFileName(onnx), dslnetMetrics.Accuracy, onnxMetrics.Accuracy, difference, new FileInfo(onnx).Length);
            results.Add(result);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"part {part} ({name}): {onnx} ({result.OnnxBytes / 1e6:0.0} MB); val accuracy DslNet {result.DslNetAccuracy:0.0000}, ONNX Runtime {result.OnnxAccuracy:0.0000}; largest |Δp| {difference:0.0e0}"));
        }

        var path = Path.Combine(options.OutputDir, "export.json");
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(results, Json) + "\n");
        output.WriteLine($"results in {path}");
        return results;
    }

    /// <summary>Rewrites RESULTS.md's export table (between its markers, appended as a section when it has none) from export.json.</summary>
    public static void WriteReport(string resultsFolder, string resultsMarkdown)
    {
        var path = Path.Combine(resultsFolder, "export.json");
        if (!File.Exists(path) || !File.Exists(resultsMarkdown))
        {
            return;
        }

        var results = JsonSerializer.Deserialize<List<ExportResult>>(File.ReadAllText(path), Json)!;
        var table = new StringBuilder();
        table.AppendLine(Begin);
        table.AppendLine("| part | model | ONNX file | DslNet val accuracy | ONNX Runtime val accuracy | largest \\|Δp\\| |");
        table.AppendLine("| --- | --- | --- | --- | --- | --- |");
        foreach (var r in results)
        {
            table.AppendLine(r.OnnxFile is null
                ? $"| {r.Part} | {r.Model} | no saved weights (part not run with this code) | | | |"
                : string.Create(CultureInfo.InvariantCulture, $"| {r.Part} | {r.Model} | {r.OnnxFile} ({r.OnnxBytes / 1e6:0.0} MB) | {r.DslNetAccuracy:0.0000} | {r.OnnxAccuracy:0.0000} | {r.MaxProbabilityDifference:0.0e0} |"));
        }

        table.Append(End);
        var text = File.ReadAllText(resultsMarkdown);
        var start = text.IndexOf(Begin, StringComparison.Ordinal);
        var end = text.IndexOf(End, StringComparison.Ordinal);
        text = start >= 0 && end > start
            ? text[..start] + table + text[(end + End.Length)..]
            : text.TrimEnd() + "\n\n## ONNX export\n\n`dotnet run -c Release --project samples/Cifar10 -- export` loads each part's saved model, exports it to ONNX and " +
              "runs the file in ONNX Runtime on the validation set:\n\n" + table + "\n";
        AtomicFile.WriteAllText(resultsMarkdown, text);
    }

    /// <summary>The ONNX model's outputs for <paramref name="features"/>, in batches of 1,000.</summary>
    private static Tensor RunOnnx(string path, Tensor features)
    {
        using var session = new InferenceSession(path);
        using var runOptions = new RunOptions();
        var batches = new List<Tensor>();
        for (long start = 0; start < features.shape[0]; start += 1000)
        {
            using var batch = features.narrow(0, start, Math.Min(1000, features.shape[0] - start)).to(ScalarType.Float32).contiguous();
            using var input = OrtValue.CreateTensorValueFromMemory(batch.data<float>().ToArray(), batch.shape);
            using var outputs = session.Run(runOptions, ["input"], [input], ["output"]);
            batches.Add(tensor(outputs[0].GetTensorDataAsSpan<float>().ToArray(), outputs[0].GetTensorTypeAndShape().Shape));
        }

        return cat(batches, 0);
    }
}

/// <summary>One part's export: its file and the validation accuracy of DslNet and of ONNX Runtime (null: the part had no saved weights).</summary>
public sealed record ExportResult(string Part, string Model, string? OnnxFile, double? DslNetAccuracy, double? OnnxAccuracy, double? MaxProbabilityDifference, long? OnnxBytes);

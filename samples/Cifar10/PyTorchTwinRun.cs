using System.Globalization;

namespace DslNet.Samples.Cifar10;

/// <summary>
/// <c>pytorch</c>: writes part c's PyTorch twin (<see cref="BatchNormNet"/> with its seeded initial weights) to
/// <c>{out}/pytorch/c</c> and the exercise's split as <c>.npy</c> files to <c>{out}/pytorch/data</c>, then prints the
/// torchrun commands. <c>pytorch-import</c>: reads back <c>{out}/pytorch/c/trained.pt</c> (what train.py wrote) with
/// <c>ImportWeights</c>, prints DslNet's validation loss and accuracy and saves the model as <c>BatchNormNet.weights</c> beside it.
/// </summary>
public sealed class PyTorchTwinRun(ExerciseOptions options, TextWriter output)
{
    private string Folder => Path.Combine(options.OutputDir, "pytorch");

    private string Twin => Path.Combine(Folder, "c");

    public void Export()
    {
        var (train, valid, _) = DslNet.Data.Cifar10.Load(options.DataDir);
        if (options.TrainSize is int size && size < train.Count)
        {
            train = train.Take(size);
        }

        var data = Path.Combine(Folder, "data");
        train.SaveNumpy(data, "train");
        valid.SaveNumpy(data, "valid");
        using var model = new BatchNormNet();
        model.ExportPyTorch(Twin);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"== pytorch: part c's twin (model.py, weights.pt, train.py) in {Twin}; {train.Count} training and {valid.Count} validation images in {data}"));
        output.WriteLine("Train it data-parallel, N processes per machine (a current PyTorch):");
        output.WriteLine($"  torchrun --nproc_per_node N {Path.Combine(Twin, "train.py")} --data {data} --out {Path.Combine(Twin, "trained.pt")}");
        output.WriteLine($"then bring the weights back: dotnet run -c Release --project samples/Cifar10 -- pytorch-import --out {options.OutputDir}");
    }

    public void Import()
    {
        var trained = Path.Combine(Twin, "trained.pt");
        if (!File.Exists(trained))
        {
            output.WriteLine($"pytorch-import: no {trained}; export the twin (-- pytorch) and train it with train.py first.");
            return;
        }

        var (_, valid, _) = DslNet.Data.Cifar10.Load(options.DataDir);
        using var model = new BatchNormNet();
        model.ImportWeights(trained);
        var metrics = model.Evaluate(valid);
        var weights = Path.Combine(Twin, $"{nameof(BatchNormNet)}.weights");
        model.Save(weights);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"== pytorch-import: {trained} into {nameof(BatchNormNet)}: val_loss {metrics.Loss:0.000000} val_accuracy {metrics.Accuracy:0.000000}; saved as {weights}"));
    }
}

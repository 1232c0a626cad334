using System.Globalization;
using System.Text.RegularExpressions;
using DslNet.Tests.Onnx;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DslNet.Tests.PyTorch;

#pragma warning disable DSL202, DSL203, DSL207

/// <summary>A small classifier for the two-rank run: a Dense with its own batch norm, Nadam (Keras 2's) and the book's 1cycle.</summary>
[Model(8, Seed = 5)]
[Dense(16, Act = Act.ReLU, BatchNorm = true)]
[Dense(3, Act = Act.Softmax)]
[Nadam(LearningRate = 0.01)]
[OneCycle(MaxRate = 0.02)]
[Train(Epochs = 6, BatchSize = 16)]
public partial class TwinDistributedNet;

/// <summary>One epoch in file order with plain SGD: a batch norm (training statistics and moving averages) and a partial last batch.</summary>
[Model(6, Seed = 9)]
[Dense(8, Act = Act.Tanh, BatchNorm = true)]
[Dense(3, Act = Act.Softmax)]
[Sgd(LearningRate = 0.1, Momentum = 0.9)]
[Train(Epochs = 1, BatchSize = 8, Shuffle = false)]
public partial class TwinSgdNet;

/// <summary>
/// As <see cref="TwinSgdNet"/> with Keras' Adam, and no bias before the batch norm: that bias's gradient is zero but for
/// rounding, and Adam's normalized step turns rounding noise into steps of ±lr, different in any two implementations.
/// </summary>
[Model(6, Seed = 9)]
[Dense(8, Act = Act.Tanh, BatchNorm = true, UseBias = false)]
[Dense(3, Act = Act.Softmax)]
[Adam(LearningRate = 0.01)]
[Train(Epochs = 1, BatchSize = 8, Shuffle = false)]
public partial class TwinAdamNet;
#pragma warning restore DSL202, DSL203, DSL207

/// <summary>
/// <c>ExportPyTorch</c>'s twin, run by PyTorch (skipped unless <c>DSLNET_PYTORCH=1</c>, see <see cref="PyTorchFactAttribute"/>):
/// its forward equals <c>Predict</c> for every layer kind and activation; <c>train.py</c> trains with two DDP ranks over
/// loopback and the weights come back; one epoch of the twin equals one DslNet epoch in the same data order.
/// </summary>
public sealed class PyTorchTwinTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("dslnet-twin-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    /// <summary>Loads each exported model.py + weights.pt, runs it in inference mode on check_x.npy, prints the largest difference from check_y.npy.</summary>
    private const string ForwardCheck = """
        import importlib.util, os, sys
        import numpy as np, torch
        torch.set_num_threads(1)
        for name in sorted(os.listdir(sys.argv[1])):
            folder = os.path.join(sys.argv[1], name)
            spec = importlib.util.spec_from_file_location('twin_' + name, os.path.join(folder, 'model.py'))
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            model = module.Model()
            model.load_state_dict(torch.load(os.path.join(folder, 'weights.pt')))
            model.eval()
            with torch.no_grad():
                out = model(torch.from_numpy(np.load(os.path.join(folder, 'check_x.npy'))))
            expected = torch.from_numpy(np.load(os.path.join(folder, 'check_y.npy')))
            print(name, type(model).__name__, (out - expected.reshape(out.shape)).abs().max().item())
        """;

    [PyTorchFact]
    public void The_twin_of_every_model_kind_gives_what_Predict_gives()
    {
        using var scope = NewDisposeScope();
        var names = new Dictionary<string, string>();
        foreach (var (name, (create, sampleShape, centre, scale)) in ExportOnnxTests.Factories)
        {
            using var module = create();
            var generator = new Generator(17);
            ExportOnnxTests.Randomize(module, centre, scale, generator);
            var x = (randn([17, .. sampleShape], generator: generator) * scale) + centre;
            var key = "m" + names.Count;
            names[key] = name;
            var model = (DslModule)module;
            model.ExportPyTorch(Path.Combine(folder, key));
            new Dataset(x, model.Predict(x)).SaveNumpy(Path.Combine(folder, key), "check");
        }

        File.WriteAllText(Path.Combine(folder, "check.py"), ForwardCheck);
        var exported = Path.Combine(folder, "models");
        Directory.CreateDirectory(exported);
        foreach (var key in names.Keys)
        {
            Directory.Move(Path.Combine(folder, key), Path.Combine(exported, key));
        }

        var lines = PyTorchProcess.Run(folder, "the forward check", "check.py", exported).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(names.Count, lines.Length);
        foreach (var line in lines)
        {
            var parts = line.Split(' ');
            var name = names[parts[0]];
            Assert.EndsWith(parts[1], name.Split(' ')[0]); // the twin's class has the model's class name
            var difference = double.Parse(parts[2], CultureInfo.InvariantCulture);
            Assert.True(difference <= 1e-5, $"{name}: the twin's output differs from Predict's by {difference}.");
        }
    }

    [PyTorchFact]
    public void Two_ranks_over_loopback_train_the_same_weights_whose_accuracy_DslNet_reproduces()
    {
        using var scope = NewDisposeScope();
        var (train, valid) = Blobs(features: 8, trainCount: 96, validCount: 48, seed: 3);
        using var model = new TwinDistributedNet();
        var twin = Path.Combine(folder, "twin");
        var data = Path.Combine(folder, "data");
        model.ExportPyTorch(twin);
        train.SaveNumpy(data, "train");
        valid.SaveNumpy(data, "valid");

        var port = PyTorchProcess.FreePort().ToString(CultureInfo.InvariantCulture);
        var out_ = Path.Combine(folder, "trained.pt");
        var log = Path.Combine(folder, "loss");
        var ranks = Enumerable.Range(0, 2).Select(rank => PyTorchProcess.Start(twin,
            ["train.py", "--data", data, "--out", out_, "--all-ranks", "--log", log],
            new Dictionary<string, string>
            {
                ["MASTER_ADDR"] = "127.0.0.1",
                ["MASTER_PORT"] = port,
                ["RANK"] = rank.ToString(CultureInfo.InvariantCulture),
                ["LOCAL_RANK"] = rank.ToString(CultureInfo.InvariantCulture),
                ["WORLD_SIZE"] = "2",
            })).ToList();
        List<string> outputs;
        try
        {
            outputs = ranks.Select((process, rank) => PyTorchProcess.Finish(process, $"rank {rank} of train.py", timeoutSeconds: 300)).ToList();
        }
        finally
        {
            // A rank that failed leaves the other waiting for it: end both.
            foreach (var process in ranks.Where(process => !process.HasExited))
            {
                process.Kill(entireProcessTree: true);
            }
        }

        // Each rank's mean training loss per epoch falls from the first epoch to the last.
        foreach (var rank in new[] { 0, 1 })
        {
            var losses = File.ReadAllLines($"{log}.{rank}").Select(line => double.Parse(line, CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(6, losses.Count);
            Assert.True(losses[^1] < 0.8 * losses[0], $"rank {rank}'s loss did not fall: {string.Join(", ", losses)}");
        }

        // Both ranks hold the same weights and batch-norm statistics (DDP broadcasts rank 0's buffers).
        using var rank0 = new TwinDistributedNet();
        using var rank1 = new TwinDistributedNet();
        rank0.ImportWeights(out_);
        rank1.ImportWeights(Path.Combine(folder, "trained.rank1.pt"));
        var states1 = rank1.state_dict();
        foreach (var (key, value) in rank0.state_dict())
        {
            Assert.True(value.allclose(states1[key], 0, 0), $"the ranks disagree on {key}");
        }

        Assert.False(rank0.state_dict()["hidden1.weight"].allclose(model.state_dict()["hidden1.weight"], 0, 0), "the weights did not change");

        // The accuracy the script printed is what DslNet measures with the imported weights.
        var printed = Regex.Match(outputs[0], @"final val_loss (\S+) val_accuracy (\S+)");
        Assert.True(printed.Success, "rank 0 printed no final accuracy:\n" + outputs[0]);
        var metrics = rank0.Evaluate(valid);
        Assert.Equal(double.Parse(printed.Groups[2].Value, CultureInfo.InvariantCulture), metrics.Accuracy, 5);
        Assert.Equal(double.Parse(printed.Groups[1].Value, CultureInfo.InvariantCulture), metrics.Loss, 4);
        Assert.True(metrics.Accuracy > 0.6, $"accuracy {metrics.Accuracy} after training on separable blobs");
    }

    [PyTorchFact]
    public void One_epoch_of_the_twin_with_SGD_equals_one_DslNet_epoch() => AssertOneEpochEqual(() => new TwinSgdNet());

    [PyTorchFact]
    public void One_epoch_of_the_twin_with_Adam_equals_one_DslNet_epoch() => AssertOneEpochEqual(() => new TwinAdamNet());

    /// <summary>
    /// The data-order contract: DslNet with <c>Shuffle = false</c> and train.py with one process and <c>--no-shuffle</c>
    /// both take batch k as samples k·B … (k+1)·B − 1 in file order (the last batch partial), from the same initial weights.
    /// </summary>
    private void AssertOneEpochEqual(Func<DslModule> create)
    {
        using var scope = NewDisposeScope();
        using var dslnet = create();
        using var imported = create();
        var (train, _) = Blobs(features: 6, trainCount: 44, validCount: 1, seed: 4);
        var twin = Path.Combine(folder, "twin");
        dslnet.ExportPyTorch(twin);
        train.SaveNumpy(Path.Combine(folder, "data"), "train");
        var initial = dslnet.state_dict().ToDictionary(pair => pair.Key, pair => pair.Value.clone());

        dslnet.Fit(train, options: new FitOptions { Progress = false });
        PyTorchProcess.Run(twin, "train.py", "train.py", "--data", Path.Combine(folder, "data"), "--no-shuffle", "--out", Path.Combine(folder, "epoch.pt"));
        imported.ImportWeights(Path.Combine(folder, "epoch.pt"));

        var twinStates = imported.state_dict();
        foreach (var (key, value) in dslnet.state_dict())
        {
            if (key.EndsWith("num_batches_tracked", StringComparison.Ordinal))
            {
                Assert.Equal(value.item<long>(), twinStates[key].item<long>());
                continue;
            }

            Assert.False(value.allclose(initial[key], 0, 0), $"{key} did not change in the epoch");
            var difference = (value - twinStates[key]).abs().max().item<float>();
            Assert.True(difference <= 1e-4, $"{key}: the twin's epoch differs from DslNet's by {difference}.");
        }
    }

    /// <summary>Three Gaussian blobs in <paramref name="features"/> dimensions (labels 0–2): separable enough to learn in a few epochs.</summary>
    private static (Dataset Train, Dataset Valid) Blobs(int features, int trainCount, int validCount, int seed)
    {
        var generator = new Generator((ulong)seed);
        var centres = randn([3, features], generator: generator) * 2;
        Dataset Make(int count)
        {
            var labels = randint(0, 3, [count], generator: generator);
            return new Dataset(centres.index_select(0, labels) + randn([count, features], generator: generator), labels);
        }

        return (Make(trainCount), Make(validCount));
    }
}

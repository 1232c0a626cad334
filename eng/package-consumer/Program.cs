using System.Globalization;
using DslNet;
using static TorchSharp.torch;

// One epoch of training on random data: the package's generator, runtime and TorchSharp's native library all work.
using var model = new TinyNet();
var data = new Dataset(randn(256, 4), randint(0, 3, [256], dtype: ScalarType.Int64));
var history = model.Fit(data, options: new FitOptions { Epochs = 1, BatchSize = 32, Seed = 7, Progress = false });
Console.WriteLine($"parameters {TinyNet.ParameterCount}");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"loss {history.Rows[^1].Loss:R}"));

using System.Globalization;
using DslNet;
using DslNet.Tests.ResumeChild;
using TorchSharp;
using static TorchSharp.torch;

// Usage: DslNet.Tests.ResumeChild <ResumeNet|EarlyStopNet|OneCycleNet|AugmentedConvNet> <output folder> [backup folder] [backup every steps]
// Trains the model on fixed synthetic data and writes, into the output folder, its final weights (weights.bin), its history
// (history.csv) and how the run ended (end.txt). With a backup folder, a killed run started again resumes from the backup.
if (args is ["native"])
{
    return NativeCheck();
}

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: DslNet.Tests.ResumeChild <model> <output folder> [backup folder] [backup every steps]");
    return 2;
}

var (train, validation) = args[0] == nameof(AugmentedConvNet) ? Images(Data(noisyValidation: false)) : Data(noisyValidation: args[0] == nameof(EarlyStopNet));
using IModel model = args[0] switch
{
    nameof(ResumeNet) => new ResumeNet(),
    nameof(EarlyStopNet) => new EarlyStopNet(),
    nameof(OneCycleNet) => new OneCycleNet(),
    nameof(AugmentedConvNet) => new AugmentedConvNet(),
    _ => throw new ArgumentException($"Unknown model {args[0]}."),
};

var options = new FitOptions
{
    Progress = true, // one line per epoch (the output is redirected), and where a run resumed
    Threads = 1, // the same in every run: the automatic choice is measured, so it may differ between processes
    BackupDirectory = args.Length > 2 ? args[2] : null,
    BackupEverySteps = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : null,
    Output = Console.Out,
};
Console.WriteLine("training");
Console.Out.Flush();
var history = model.Fit(train, validation, options);
Directory.CreateDirectory(args[1]);
model.Save(Path.Combine(args[1], "weights.bin"));
history.SaveCsv(Path.Combine(args[1], "history.csv"));
File.WriteAllText(Path.Combine(args[1], "end.txt"),
    $"stopped {history.StoppedEpoch}\nkept {history.KeptEpoch}\nthreads {history.Threads}\nreason {history.StopReason}\n");
Console.WriteLine("done");
return 0;

// Used by the native-loader tests: which libLibTorchSharp.so this process mapped, whether torch computes, and whether
// libtorch's C++ warnings (written with iostreams to the standard error) still print.
static int NativeCheck()
{
    using var x = torch.ones(3, 4);
    var sum = x.sum().item<float>();
    var mapped = File.ReadLines("/proc/self/maps").Select(l => l.IndexOf('/') is var i and >= 0 ? l[i..] : "")
        .FirstOrDefault(p => Path.GetFileName(p) == "libLibTorchSharp.so");
    Console.WriteLine($"sum {sum}");
    Console.WriteLine($"mapped {mapped}");
    Console.WriteLine($"problem {DslNet.Native.TorchNativeLibrary.Problem?.Message ?? "none"}");
    Console.Out.Flush();
    using var mask = torch.tensor(new byte[] { 1, 0, 1 });
    using var picked = x[mask]; // libtorch warns (TORCH_WARN, through std::cerr) that uint8 masks are deprecated
    Console.Error.Flush();
    return 0;
}

// 2,400 training and 1,000 validation samples of 16 features; the class is the largest of four fixed projections
// (for EarlyStopNet, half the training labels are random).
static (Dataset Train, Dataset Validation) Data(bool noisyValidation)
{
    using var generator = new torch.Generator(2024);
    var projection = torch.randn(16, 4, generator: generator);
    var trainFeatures = torch.randn(2400, 16, generator: generator) * 3 + 1;
    var validationFeatures = torch.randn(1000, 16, generator: generator) * 3 + 1;
    var trainLabels = trainFeatures.matmul(projection).argmax(1);
    var validationLabels = validationFeatures.matmul(projection).argmax(1);
    if (noisyValidation)
    {
        // Half the training labels are noise the model learns by heart, so the validation loss rises after a few epochs.
        var noisy = torch.rand([2400], generator: generator).lt(0.5);
        trainLabels = torch.where(noisy, torch.randint(0, 4, [2400], generator: generator, dtype: ScalarType.Int64), trainLabels);
    }

    return (new Dataset(trainFeatures, trainLabels), new Dataset(validationFeatures, validationLabels));
}

// The same samples as 3×8×8 images: each feature spread over a 2×2 block of 12 pixels per channel triple (so that flips
// and one-pixel crops keep most of it), plus noise.
static (Dataset Train, Dataset Validation) Images((Dataset Train, Dataset Validation) data)
{
    using var generator = new torch.Generator(77);
    Dataset Image(Dataset set)
    {
        var n = set.Features.shape[0];
        var blocks = set.Features.reshape(n, 1, 4, 4).repeat(1, 3, 1, 1);
        var images = torch.nn.functional.interpolate(blocks, size: [8, 8], mode: InterpolationMode.Nearest);
        return new Dataset(images + torch.randn([n, 3, 8, 8], generator: generator) * 0.5, set.Labels);
    }

    return (Image(data.Train), Image(data.Validation));
}

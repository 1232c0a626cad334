using System.Diagnostics;
using DslNet.Data;
using Microsoft.ML.OnnxRuntime;
using static TorchSharp.torch;

namespace DslNet.Samples.Cifar10;

/// <summary>
/// `-- pretrained`: cat vs dog (CIFAR classes 3 and 5) from the package's ImageNet ResNet-18, beside the same network
/// from scratch for the same time. The body is imported and frozen and nothing augments the images, so it computes the
/// same features every epoch: they are computed once (<c>body.Predict</c> of a model that ends at the body) and the head,
/// a model of its own on the 512 features, trains on them. Then, as the book does, the whole network is fine-tuned at a
/// lower rate (the body imported again, the trained head copied in). `-- pretrained-sizes` measures which [Resize] size
/// keeps the features useful (a logistic head on the frozen features at 64, 128 and 224).
/// </summary>
public sealed class PretrainedRun(ExerciseOptions options, TextWriter output)
{
    /// <summary>The body's Summary rows in <see cref="CatDogResNet18"/> ([Resize], stem, units, pooling): ImportWeights' <c>layers</c>.</summary>
    public const int BodyRows = ImageNetResNet18.BodyRows + 1;

    public void Run()
    {
        var (train, valid) = CatsAndDogs(options.TrainSize ?? 2000, options.ValidSize);
        var total = Stopwatch.StartNew();

        // 1. The frozen body's features, once; the new head trained on them.
        using var body = new ResNet18Body128();
        body.ImportWeights(ImageNetResNet18Package.OnnxFile);
        var features = Stopwatch.StartNew();
        var (trainFeatures, validFeatures) = (new Dataset(body.Predict(train.Features), train.Labels), new Dataset(body.Predict(valid.Features), valid.Labels));
        output.WriteLine($"features of {train.Count + valid.Count:N0} images at 128×128 computed once in {features.Elapsed.TotalMinutes:0.00} min");
        using var head = new CatDogHead();
        head.Fit(trainFeatures, validFeatures, new FitOptions { Epochs = options.Epochs, Progress = options.Progress, Output = output, Threads = options.Threads });
        var headAccuracy = head.Evaluate(validFeatures).Accuracy;
        var headMinutes = total.Elapsed.TotalMinutes;
        output.WriteLine($"pretrained, head on cached features: val_accuracy {headAccuracy:0.0000} after {headMinutes:0.00} min");

        // 2. The book's second phase: everything trainable at a lower rate, from the imported body and the trained head.
        var fineTuned = headAccuracy;
        if (options.FineTuneEpochs > 0)
        {
            using var whole = new CatDogResNet18();
            whole.ImportWeights(ImageNetResNet18Package.OnnxFile, layers: BodyRows);
            using (no_grad())
            {
                var to = whole.state_dict();
                foreach (var (key, value) in head.state_dict())
                {
                    to[key].copy_(value);
                }
            }

            whole.Fit(train, valid, new FitOptions { Epochs = options.FineTuneEpochs, LearningRate = 1e-4, Progress = options.Progress, Output = output, Threads = options.Threads });
            fineTuned = whole.Evaluate(valid).Accuracy;
            output.WriteLine($"pretrained, fine-tuned at 1e-4: val_accuracy {fineTuned:0.0000} after {total.Elapsed.TotalMinutes:0.00} min");
        }

        var budget = total.Elapsed;

        // 3. The same declaration from scratch, for the same time as the pretrained runs took. An epoch of the whole network
        // takes far longer than the budget on two cores, so it trains on shuffled chunks of 128 images, one Fit each (a second
        // Fit continues the optimizer's state), and stops at the first chunk boundary past the budget.
        var scratchClock = Stopwatch.StartNew();
        using var scratch = new CatDogResNet18();
        var order = randperm(train.Count, generator: new TorchSharp.torch.Generator(42));
        var shuffled = new Dataset(train.Features[order], train.Labels[order]);
        var seen = 0;
        while (scratchClock.Elapsed < budget)
        {
            var start = seen % shuffled.Count;
            var chunk = shuffled.Slice(start, Math.Min(start + 128, shuffled.Count));
            scratch.Fit(chunk, null, new FitOptions { Epochs = 1, Progress = false, Threads = options.Threads ?? Environment.ProcessorCount }); // no thread calibration per chunk
            seen += chunk.Count;
        }

        output.WriteLine($"from scratch: {seen:N0} images seen ({(double)seen / train.Count:0.00} epochs) in {scratchClock.Elapsed.TotalMinutes:0.00} min");
        var scratchAccuracy = scratch.Evaluate(valid).Accuracy;
        output.WriteLine();
        output.WriteLine($"| run | val_accuracy | minutes |");
        output.WriteLine($"| --- | --- | --- |");
        output.WriteLine($"| pretrained: head on cached features | {headAccuracy:P1} | {headMinutes:0.0} |");
        if (options.FineTuneEpochs > 0)
        {
            output.WriteLine($"| pretrained: + fine-tuning ({options.FineTuneEpochs} epochs at 1e-4) | {fineTuned:P1} | {budget.TotalMinutes:0.0} |");
        }

        output.WriteLine($"| from scratch, same time | {scratchAccuracy:P1} | {scratchClock.Elapsed.TotalMinutes:0.0} |");
        output.WriteLine($"whole command: {total.Elapsed.TotalMinutes:0.0} min; {train.Count:N0} training, {valid.Count:N0} validation images");
    }

    /// <summary>For each [Resize] size, a logistic head on the frozen body's features: accuracy and minutes on a small subset.</summary>
    public void Sizes()
    {
        var (train, valid) = CatsAndDogs(options.TrainSize ?? 500, options.ValidSize ?? 500);
        output.WriteLine("| size | val_accuracy (head on frozen features) | feature minutes |");
        output.WriteLine("| --- | --- | --- |");
        foreach (var (size, body) in new (int, DslModule)[] { (64, new ResNet18Body64()), (128, new ResNet18Body128()), (224, new ResNet18Body224()) })
        {
            using var model = body;
            model.ImportWeights(ImageNetResNet18Package.OnnxFile);
            var clock = Stopwatch.StartNew();
            var trainFeatures = new Dataset(model.Predict(train.Features), train.Labels);
            var validFeatures = new Dataset(model.Predict(valid.Features), valid.Labels);
            var minutes = clock.Elapsed.TotalMinutes;
            using var head = new CatDogHead();
            head.Fit(trainFeatures, validFeatures, new FitOptions { Epochs = options.Epochs, Progress = false, Threads = options.Threads });
            output.WriteLine($"| {size}×{size} | {head.Evaluate(validFeatures).Accuracy:P1} | {minutes:0.00} |");
        }
    }

    /// <summary>
    /// All ten classes on the book's split: the frozen ImageNet body's features at 128×128 computed once for the training
    /// images (all 45,000 unless --train-size) and the 5,000 validation images, and a softmax head trained on them.
    /// </summary>
    public void AllClasses()
    {
        var total = Stopwatch.StartNew();
        var (train, valid, _) = DslNet.Data.Cifar10.Load(options.DataDir);
        train = options.TrainSize is int size ? train.Take(size) : train;
        var mean = MeanImage32();
        using var body = new ResNet18Body128();
        body.ImportWeights(ImageNetResNet18Package.OnnxFile);
        var features = Stopwatch.StartNew();
        var trainFeatures = new Dataset(body.Predict(Preprocess(train.Features, mean)), train.Labels);
        var validFeatures = new Dataset(body.Predict(Preprocess(valid.Features, mean)), valid.Labels);
        output.WriteLine($"features of {train.Count + valid.Count:N0} images at 128×128 computed once in {features.Elapsed.TotalMinutes:0.00} min");
        using var head = new Cifar10Head();
        head.Fit(trainFeatures, validFeatures, new FitOptions { Epochs = options.Epochs, Progress = options.Progress, Output = output, Threads = options.Threads });
        var accuracy = head.Evaluate(validFeatures).Accuracy;
        output.WriteLine();
        output.WriteLine("| run | val_accuracy | minutes |");
        output.WriteLine("| --- | --- | --- |");
        output.WriteLine($"| pretrained ImageNet body (frozen, 128×128) + softmax head, ten classes | {accuracy:P1} | {total.Elapsed.TotalMinutes:0.0} |");
        output.WriteLine($"whole command: {total.Elapsed.TotalMinutes:0.0} min; {train.Count:N0} training, {valid.Count:N0} validation images");
    }

    /// <summary>Cats (label 0) and dogs (label 1): the first <paramref name="trainSize"/> of the training split, the validation split's, preprocessed.</summary>
    private (Dataset Train, Dataset Valid) CatsAndDogs(int trainSize, int? validSize)
    {
        var (train, valid, _) = DslNet.Data.Cifar10.Load(options.DataDir);
        var cats = train.OfClasses(3, 5).Take(trainSize);
        var validation = valid.OfClasses(3, 5);
        validation = validSize is int size ? validation.Take(size) : validation;
        var mean = MeanImage32();
        return (new Dataset(Preprocess(cats.Features, mean), cats.Labels), new Dataset(Preprocess(validation.Features, mean), validation.Labels));
    }

    /// <summary>The package's preprocessing, at CIFAR's size: RGB → BGR, minus its mean image shrunk to 32×32 (bilinear resizing is linear, so this equals subtracting the resized mean after [Resize] up to a smoothing of the mean image).</summary>
    private static Tensor Preprocess(Tensor images, Tensor mean) => images.to(ScalarType.Float32).flip(1) - mean;

    /// <summary>The package's mean image (BGR): ResNetPreprocess.onnx run by ONNX Runtime on a black image gives minus the mean.</summary>
    private static Tensor MeanImage32()
    {
        using var session = new InferenceSession(ImageNetResNet18Package.PreprocessFile);
        var zeros = new float[3 * 224 * 224];
        using var input = OrtValue.CreateTensorValueFromMemory(zeros, [1, 3, 224, 224]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [session.InputNames.Single()], [input], [session.OutputNames.Single()]);
        var mean = -tensor(outputs[0].GetTensorDataAsSpan<float>().ToArray(), [1, 3, 224, 224]);
        return nn.functional.interpolate(mean, [32, 32], mode: InterpolationMode.Area);
    }
}

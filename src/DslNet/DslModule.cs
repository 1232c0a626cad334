using System.ComponentModel;
using DslNet.IO;
using DslNet.Layers;
using DslNet.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DslNet;

/// <summary>
/// The base of every generated model: a TorchSharp module whose training machinery (<see cref="Fit"/>,
/// <see cref="Evaluate"/>, <see cref="Predict"/>, <see cref="FindLearningRate"/>, <see cref="Save"/>) is written once
/// here and driven by the <see cref="ModelDeclaration"/> that the generated class passes in. The generated class holds
/// what is particular to the model: its layers, how they are built and initialized, <see cref="Logits"/>, its
/// compile-time facts (<c>ParameterCount</c>, <c>Summary</c>, <c>SampleShape</c>), and the overrides it declares.
/// </summary>
/// <remarks>
/// The optimizer persists across calls to <see cref="Fit"/>, as Keras' <c>fit</c> keeps <c>model.optimizer</c>: a second
/// <c>Fit</c> continues its state (moments, step count, learning rate). <see cref="FitOptions.LearningRate"/> starts a fresh
/// optimizer at that rate.
/// </remarks>
public abstract class DslModule : nn.Module<Tensor, Tensor>, IModel, ITrainableModel
{
    private readonly ModelDeclaration declaration;
    private Generator? initialization;
    private Optimizer? optimizer;

    /// <summary>Starts a model declared by <paramref name="declaration"/>; the generated constructor then builds its layers.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected DslModule(ModelDeclaration declaration)
        : base((declaration ?? throw new ArgumentNullException(nameof(declaration))).Name)
    {
        this.declaration = declaration;
        initialization = new Generator((ulong)declaration.Seed);
    }

    /// <summary>The model's name (the class name unless <c>[Model(Name = …)]</c>).</summary>
    public string Name => declaration.Name;

    string IModel.Summary => CurrentSummary();

    long IModel.ParameterCount => declaration.ParameterCount;

    bool ITrainableModel.IsClassifier => declaration.IsClassifier;

    OutputKind ITrainableModel.OutputKind => declaration.Output;

    IReadOnlyList<long> ITrainableModel.SampleShape => declaration.SampleShape;

    int ITrainableModel.OutputUnits => declaration.OutputUnits;

    TestTimeAugmentationAttribute? ITrainableModel.TestTimeAugmentation => declaration.TestTimeAugmentation;

    /// <summary>What the generated class declared (for the runtime's machinery, derived features and the benchmark's step profile).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected internal ModelDeclaration Declaration => declaration;

    /// <summary>
    /// Writes the model's Keras-style summary to <paramref name="output"/> (the console by default), like Keras'
    /// <c>model.summary()</c>: the class's <c>Summary</c> table, with "Trainable params" / "Non-trainable params" for the
    /// layers frozen now (after <c>UnfreezeReused()</c>, the reused layers count as trainable).
    /// </summary>
    public void PrintSummary(TextWriter? output = null) => (output ?? Console.Out).Write(CurrentSummary());

    /// <summary>The model's output for a batch: the output activation (softmax, sigmoid, or none) applied to <see cref="Logits"/>.</summary>
    public override Tensor forward(Tensor input) => DeclaredTraining.Output(declaration.Output, Logits(input));

    /// <summary>The forward pass without the output activation, after checking the input's shape: what the loss is computed from, for numerical stability.</summary>
    public abstract Tensor Logits(Tensor input);

    /// <summary>
    /// Trains the model on <paramref name="train"/> like Keras' <c>fit</c>, with the declared optimizer, loss, schedule and
    /// early stopping; <paramref name="options"/> overrides the declared settings for this call.
    /// </summary>
    public History Fit(Dataset train, Dataset? validation = null, FitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        var settings = Settings(options);
        var learningRate = options?.LearningRate ?? declaration.Optimizer.LearningRate;
        var optimizer = TrainingOptimizer(options?.LearningRate);
        var schedule = DeclaredTraining.CreateSchedule(declaration.Schedule, settings, train.Count, learningRate);
        var earlyStopping = DeclaredTraining.CreateEarlyStopping(declaration.EarlyStopping);
        // Adapt runs inside, once the inputs and any backup have been checked, on the training part only (not the samples
        // FitOptions.ValidationSplit holds out): a refused call leaves the statistics as they were.
        return TrainingLoop.Fit(this, train, validation, settings, optimizer, schedule, earlyStopping, Adapt);
    }

    /// <summary>
    /// The mean loss (with the declared weight penalties, as Keras reports it) and the accuracy on <paramref name="data"/>,
    /// in inference mode (dropout off, batch norm on its moving statistics).
    /// </summary>
    public Metrics Evaluate(Dataset data) => TrainingLoop.Evaluate(this, data, declaration.Train.BatchSize, includePenalty: true);

    /// <summary>
    /// The model's outputs for the samples <paramref name="x"/>, in inference mode, in batches; with <c>[TestTimeAugmentation]</c>,
    /// the average of the outputs over the flipped and shifted copies.
    /// </summary>
    public Tensor Predict(Tensor x) => TrainingLoop.Predict(this, x, declaration.Train.BatchSize);

    /// <summary>
    /// The book's learning-rate finder: trains for <paramref name="epochs"/> while the rate grows exponentially from
    /// <paramref name="minRate"/> to <paramref name="maxRate"/>, records the loss at each rate, then restores the weights and the optimizer.
    /// </summary>
    public LearningRateSearch FindLearningRate(Dataset train, double minRate = 1e-4, double maxRate = 1, int epochs = 1)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (!(minRate > 0) || !(maxRate > minRate) || double.IsInfinity(maxRate))
        {
            throw new ArgumentOutOfRangeException(!(minRate > 0) ? nameof(minRate) : nameof(maxRate), !(minRate > 0) ? minRate : maxRate,
                $"{Name}: the learning-rate search goes from minRate up to maxRate, so minRate must be a number > 0 and maxRate a finite number above it; " +
                $"they are {minRate.ToString(System.Globalization.CultureInfo.InvariantCulture)} and {maxRate.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        }

        if (epochs < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(epochs), epochs, $"{Name}: the learning-rate search needs at least 1 epoch; it was given {epochs}.");
        }

        var settings = Settings(null);
        return TrainingLoop.FindLearningRate(this, TrainingOptimizer(null), train, minRate, maxRate, epochs, settings, adapt: Adapt);
    }

    /// <summary>Saves the weights (and the standardization statistics, if any) to <paramref name="path"/>, atomically.</summary>
    public void Save(string path) => ModelFile.Save(this, path);

    /// <summary>
    /// Writes the inference graph (standardization, layers, batch norm with its moving statistics, the output activation;
    /// dropout omitted) to <paramref name="path"/> as an ONNX model (opset <see cref="Onnx.OnnxGraphBuilder.Opset"/>): input
    /// <c>input</c> <c>[batch, …sample shape]</c> with a dynamic batch, output <c>output</c>; ONNX Runtime gives what
    /// <see cref="Predict"/> gives. <c>[TestTimeAugmentation]</c> is not part of the graph: it is the plain network, the
    /// prediction of one copy (a runtime that wants the averaged prediction averages the copies itself). The file is written atomically.
    /// </summary>
    public void ExportOnnx(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var graph = new Onnx.OnnxGraphBuilder(declaration.Name, declaration.SampleShape);
        BuildOnnx(graph);
        graph.Save(path);
    }

    /// <summary>
    /// Imports weights and batch-norm moving statistics from another framework's file into the declared layers, in order,
    /// each checked by shape (Keras' <c>load_weights</c> by topological order): <c>.onnx</c> (the initializers of Conv, Gemm,
    /// MatMul and BatchNormalization nodes in graph order, each batch norm with the node whose output it takes), <c>.pt</c> /
    /// <c>.pth</c> (a <c>state_dict</c> written by <c>torch.save</c>) or <c>.safetensors</c>. Inside a residual unit the file may
    /// list the shortcut before the main path (CNTK's ONNX) or after it (torchvision): there layers are placed by shape.
    /// A file that <see cref="ExportWeights"/> wrote for this declaration is read back by name. Declared hyperparameters
    /// (batch-norm epsilon and momentum, paddings) are not changed.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="layers">Imports only into the first <paramref name="layers"/> rows of <c>Summary</c> (Flatten rows aside), e.g. a
    /// pretrained body under a new head; the file may then hold more. Without it, tensors left over are an error.</param>
    /// <exception cref="InvalidOperationException">Fewer tensors than layers, a shape that differs, an ambiguous match or leftover tensors: one message naming the layer, the tensor and both shapes; the model is unchanged.</exception>
    /// <exception cref="InvalidDataException">The file is not of the kind its extension says; the model is unchanged.</exception>
    public void ImportWeights(string path, int? layers = null) => WeightTransfer.Import(this, declaration.Name, declaration.Summary, path, layers);

    /// <summary>
    /// Writes every parameter and buffer (batch-norm moving statistics, standardization statistics) to <paramref name="path"/>,
    /// atomically, keys named after the fields (<c>conv1.weight</c>, <c>residual4.projectionNorm.running_var</c>) in PyTorch's
    /// order (each module's parameters, then its buffers): <c>.pt</c> / <c>.pth</c> (<c>torch.load</c> reads it) or <c>.safetensors</c>.
    /// </summary>
    public void ExportWeights(string path) => WeightTransfer.Export(this, declaration.Summary, path);

    /// <summary>Adds the model's layers to <paramref name="graph"/> in the order of the forward pass (generated: one builder call per layer).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected abstract void BuildOnnx(Onnx.OnnxGraphBuilder graph);

    /// <summary>
    /// Writes the model's PyTorch twin to <paramref name="directory"/> (created if missing): <c>model.py</c>, a
    /// <c>torch.nn.Module</c> of the same name, fields and forward; <c>weights.pt</c>, this model's weights and buffers as a
    /// <c>state_dict</c> that the twin's <c>load_state_dict</c> takes; and <c>train.py</c>, which trains the twin
    /// data-parallel under <c>torchrun</c> (DDP, gloo on CPUs, NCCL on GPUs) with the declared loss, optimizer, schedule,
    /// batch size and epochs, on <c>.npy</c> files written by <see cref="Dataset.SaveNumpy"/>, every difference from a
    /// DslNet run listed at its top (the twin's forward and its validation run without <c>[TestTimeAugmentation]</c>). Each file is written atomically.
    /// </summary>
    public void ExportPyTorch(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        PyTorch.PyTorchTwin.Export(declaration, PyTorchModel, directory, ExportWeights);
    }

    /// <summary>The twin's Python classes (generated from the layers' descriptors): what <see cref="ExportPyTorch"/> writes after DslNet's prelude.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected abstract string PyTorchModel { get; }

    /// <summary>The declared training settings, overridden by <paramref name="options"/>.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected TrainingSettings Settings(FitOptions? options)
    {
        var train = declaration.Train;
        var optimizer = declaration.Optimizer;
        return new TrainingSettings(declaration.Name, train.Epochs, train.BatchSize, train.Shuffle, declaration.Seed)
        {
            EmaMomentum = optimizer.UseEma ? optimizer.EmaMomentum : null,
        }.With(options);
    }

    /// <summary>
    /// The optimizer <see cref="Fit"/> trains with: the one kept from the previous call, or a fresh one of the declared kind
    /// (at <paramref name="learningRate"/> when given, which always starts a fresh one, else at the declared rate).
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected Optimizer TrainingOptimizer(double? learningRate)
    {
        if (optimizer is null || learningRate is not null)
        {
            ResetOptimizer();
            optimizer = DeclaredTraining.CreateOptimizer(declaration.Optimizer, parameters(), learningRate ?? declaration.Optimizer.LearningRate);
        }

        return optimizer;
    }

    /// <summary>Forgets the optimizer's state: the next <see cref="Fit"/> starts a fresh optimizer (e.g. after the set of trainable parameters changed).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected void ResetOptimizer()
    {
        optimizer?.Dispose();
        optimizer = null;
    }

    /// <summary>Fits what the layers learn from the training data before training (<c>[Standardize]</c>: Keras' <c>Normalization.adapt</c>); nothing by default.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected virtual void Adapt(Dataset train)
    {
    }

    /// <summary>
    /// <c>[Whiten]</c>'s part of <see cref="Adapt"/>: unless <paramref name="layer"/> already holds a whitening (a later
    /// <c>Fit</c>, a loaded, imported or copied model), computes it from the first training images of <paramref name="train"/>
    /// as they reach the layer: <paramref name="before"/> (the layers before it) runs with the model in inference mode,
    /// without gradients; the mode is put back afterwards.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected void AdaptWhitening(Whitening layer, Dataset train, Func<Tensor, Tensor>? before)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(train);
        if (layer.IsAdapted)
        {
            return;
        }

        var wasTraining = training;
        this.train(false);
        try
        {
            layer.Adapt(train.Features, before);
        }
        finally
        {
            this.train(wasTraining);
        }
    }

    /// <summary>The sum of the declared ℓ1/ℓ2 weight penalties (Keras meaning, see <see cref="Penalties"/>); null when none is declared.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected virtual Tensor? Penalty() => null;

    /// <summary>Applies the declared weight constraints (max-norm, see <see cref="Constraints"/>) after an optimizer step; none by default.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected virtual void ApplyConstraints()
    {
    }

    /// <summary><paramref name="input"/>, after one clear error unless it is a batch of samples of the declared shape.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected Tensor CheckInput(Tensor input)
    {
        InputShape.Check(input, declaration.SampleShape, declaration.Name);
        return input;
    }

    /// <summary>
    /// A fully connected layer initialized as Keras does: the kernel from <paramref name="init"/>, drawn from the model's
    /// seeded generator (so layers are drawn in the order they are built), the bias zero.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected Linear Dense(long inFeatures, long units, Init init, bool useBias = true, double initValue = 0)
    {
        var generator = initialization ?? throw new InvalidOperationException("Layers are built in the constructor only, before Built(…).");
        var layer = nn.Linear(inFeatures, units, hasBias: useBias);
        using var noGrad = torch.no_grad();
        Initializers.Apply(layer.weight!, init, generator, initValue);
        layer.bias?.zero_();
        return layer;
    }

    /// <summary>
    /// A 2-D convolution initialized as Keras does (fan-in C·k·k, fan-out filters·k·k): the kernel from <paramref name="init"/>,
    /// drawn from the model's seeded generator in the order layers are built, the bias zero.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected Convolution2D Conv2D(
        long inChannels, long filters, long kernel, Init init, long stride = 1, long dilation = 1, Padding padding = Padding.Valid, bool useBias = true, double initValue = 0)
    {
        var generator = initialization ?? throw new InvalidOperationException("Layers are built in the constructor only, before Built(…).");
        var layer = new Convolution2D(inChannels, filters, kernel, stride, dilation, padding, useBias);
        using var noGrad = torch.no_grad();
        Initializers.Apply(layer.Weight, init, generator, initValue);
        layer.Bias?.zero_();
        return layer;
    }

    /// <summary>Ends the generated constructor: registers the layers, releases the initialization generator and moves the model to <paramref name="device"/>.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected void Built(Device? device)
    {
        RegisterComponents();
        foreach (var standardization in modules().OfType<Standardization>())
        {
            standardization.ModelName = declaration.Name;
        }

        foreach (var whitening in modules().OfType<Whitening>())
        {
            whitening.ModelName = declaration.Name;
        }

        initialization?.Dispose();
        initialization = null;
        if (device is not null)
        {
            this.to(device);
        }
    }

    /// <summary>Monte Carlo dropout over the given dropout layers (see <see cref="IMonteCarloModel.PredictMonteCarlo"/>).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected Tensor PredictWithDropout(Tensor x, int samples, params nn.Module[] dropoutLayers) =>
        TrainingLoop.PredictMonteCarlo(this, x, samples, declaration.Train.BatchSize, dropoutLayers);

    /// <summary>Monte Carlo dropout with the samples' standard deviation (see <see cref="IMonteCarloModel.PredictMonteCarloWithDeviation"/>).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected (Tensor Mean, Tensor StandardDeviation) PredictWithDropoutAndDeviation(Tensor x, int samples, params nn.Module[] dropoutLayers) =>
        TrainingLoop.PredictMonteCarloWithDeviation(this, x, samples, declaration.Train.BatchSize, dropoutLayers);

    /// <summary>Loads into <paramref name="model"/> (just built) the weights saved at <paramref name="path"/>; one clear error when they do not fit.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected static TModel LoadInto<TModel>(TModel model, string path)
        where TModel : DslModule
    {
        ArgumentNullException.ThrowIfNull(model);
        try
        {
            ModelFile.Load(model, path, model.Name);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            ResetOptimizer();
            initialization?.Dispose();
            initialization = null;
        }

        base.Dispose(disposing);
    }

    /// <summary>The declared summary with the trainable and non-trainable totals of the parameters as they are frozen now.</summary>
    private string CurrentSummary()
    {
        const string TrainableLine = "Trainable params: ";
        const string NonTrainableLine = "Non-trainable params: ";
        const string TotalLine = "Total params: ";
        var lines = declaration.Summary.Split('\n');
        var total = lines.FirstOrDefault(line => line.StartsWith(TotalLine, StringComparison.Ordinal));
        if (total is null || !long.TryParse(total.AsSpan(TotalLine.Length), System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture, out var all))
        {
            return declaration.Summary;
        }

        var trainable = parameters().Where(parameter => parameter.requires_grad).Sum(parameter => parameter.numel());
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith(TrainableLine, StringComparison.Ordinal))
            {
                lines[i] = TrainableLine + Thousands(trainable);
            }
            else if (lines[i].StartsWith(NonTrainableLine, StringComparison.Ordinal))
            {
                lines[i] = NonTrainableLine + Thousands(all - trainable);
            }
        }

        return string.Join('\n', lines);
    }

    private static string Thousands(long value) => value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

    Tensor ITrainableModel.DataLoss(Tensor logits, Tensor labels) => DeclaredTraining.Loss(declaration.Loss, declaration.Output, logits, labels, declaration.LabelSmoothing);

    Tensor ITrainableModel.SampleLosses(Tensor logits, Tensor labels) => DeclaredTraining.SampleLosses(declaration.Loss, declaration.Output, logits, labels, declaration.LabelSmoothing);

    Tensor? ITrainableModel.Penalty() => Penalty();

    void ITrainableModel.ApplyConstraints() => ApplyConstraints();
}

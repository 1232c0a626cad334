using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;
using Parameter = TorchSharp.Modules.Parameter;

namespace DslNet.Training;

/// <summary>Turns a model's declared training attributes into the runtime objects that train it, with Keras' meaning of every argument.</summary>
internal static class DeclaredTraining
{
    /// <summary>The declared optimizer over <paramref name="parameters"/>, starting at <paramref name="learningRate"/>.</summary>
    public static Optimizer CreateOptimizer(OptimizerAttribute declared, IEnumerable<Parameter> parameters, double learningRate) => declared switch
    {
        SgdAttribute sgd => new Sgd(parameters, learningRate, momentum: sgd.Momentum, nesterov: sgd.Nesterov) { ClipNorm = sgd.ClipNorm, ClipValue = sgd.ClipValue },
        RmsPropAttribute rms => new RmsProp(parameters, learningRate, rho: rms.Rho, momentum: rms.Momentum, epsilon: rms.Epsilon) { ClipNorm = rms.ClipNorm, ClipValue = rms.ClipValue },
        AdaGradAttribute ada => new AdaGrad(parameters, learningRate, initialAccumulator: ada.InitialAccumulator, epsilon: ada.Epsilon) { ClipNorm = ada.ClipNorm, ClipValue = ada.ClipValue },
        AdamWAttribute adamW => new AdamW(parameters, learningRate, beta1: adamW.Beta1, beta2: adamW.Beta2, epsilon: adamW.Epsilon, weightDecay: adamW.WeightDecay)
        {
            ClipNorm = adamW.ClipNorm,
            ClipValue = adamW.ClipValue,
        },
        AdamAttribute adam => new Adam(parameters, learningRate, beta1: adam.Beta1, beta2: adam.Beta2, epsilon: adam.Epsilon) { ClipNorm = adam.ClipNorm, ClipValue = adam.ClipValue },
        AdaMaxAttribute max => new AdaMax(parameters, learningRate, beta1: max.Beta1, beta2: max.Beta2, epsilon: max.Epsilon) { ClipNorm = max.ClipNorm, ClipValue = max.ClipValue },
        NadamAttribute nadam => new Nadam(parameters, learningRate, beta1: nadam.Beta1, beta2: nadam.Beta2, epsilon: nadam.Epsilon) { ClipNorm = nadam.ClipNorm, ClipValue = nadam.ClipValue },
        _ => throw new ArgumentException($"No optimizer for {declared.GetType().Name}.", nameof(declared)),
    };

    /// <summary>The declared schedule for a run of <paramref name="settings"/> over <paramref name="trainCount"/> samples starting at <paramref name="learningRate"/>.</summary>
    public static LearningRateSchedule? CreateSchedule(ScheduleAttribute? declared, TrainingSettings settings, int trainCount, double learningRate) => declared switch
    {
        null => null,
        OneCycleAttribute one => OneCycle(one, settings, trainCount),
        ExponentialDecayAttribute exponential => new ExponentialDecaySchedule(initialRate: learningRate, steps: exponential.Steps),
        PowerDecayAttribute power => new PowerDecaySchedule(initialRate: learningRate, steps: power.Steps, power: power.Power),
        PiecewiseConstantAttribute piecewise => new PiecewiseConstantSchedule(piecewise.Boundaries, piecewise.Rates),
        ReduceOnPlateauAttribute plateau => new ReduceOnPlateauSchedule(plateau.Monitor, factor: plateau.Factor, patience: plateau.Patience, minRate: plateau.MinRate),
        _ => throw new ArgumentException($"No schedule for {declared.GetType().Name}.", nameof(declared)),
    };

    /// <summary>The declared 1cycle schedule over the run's training steps; one error naming the model when the run is too short for it.</summary>
    private static OneCycleSchedule OneCycle(OneCycleAttribute one, TrainingSettings settings, int trainCount)
    {
        var steps = settings.StepsPerEpoch(trainCount);
        var iterations = (long)steps * settings.Epochs;
        var run = $"{trainCount} sample{(trainCount == 1 ? string.Empty : "s")} in batches of {settings.BatchSize} for {settings.Epochs} epoch{(settings.Epochs == 1 ? string.Empty : "s")} " +
                  $"make {iterations} training step{(iterations == 1 ? string.Empty : "s")}";
        if (iterations < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), iterations,
                $"{settings.Name}: [OneCycle] needs at least 2 training steps to rise and fall, but {run}; train for more epochs or with a smaller batch size.");
        }

        if (one.LastIterations >= iterations)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), one.LastIterations,
                $"{settings.Name}: [OneCycle(LastIterations = {one.LastIterations})] must be fewer than the run's training steps, but {run}; lower LastIterations or train for longer.");
        }

        return new OneCycleSchedule(iterations, maxRate: one.MaxRate, startRate: one.StartRate, lastRate: one.LastRate, lastIterations: one.LastIterations);
    }

    /// <summary>The declared early stopping, if any.</summary>
    public static EarlyStopping? CreateEarlyStopping(EarlyStoppingAttribute? declared) => declared is null
        ? null
        : new EarlyStopping(declared.Monitor, patience: declared.Patience, minDelta: declared.MinDelta, restoreBestWeights: declared.RestoreBestWeights);

    /// <summary>
    /// The declared loss from the logits, averaged over the batch (computed from logits where the loss allows, for numerical stability).
    /// <paramref name="labelSmoothing"/> is Keras' <c>label_smoothing</c> ε of the cross-entropy losses: the targets become
    /// (1 − ε)·one-hot + ε / classes (torch's <c>label_smoothing</c> is the same formula), or y·(1 − ε) + ε / 2 for binary cross-entropy.
    /// </summary>
    public static Tensor Loss(LossKind loss, OutputKind output, Tensor logits, Tensor labels, double labelSmoothing = 0)
    {
        switch (loss)
        {
            case LossKind.SparseCategoricalCrossEntropy:
                return F.cross_entropy(logits, labels, label_smoothing: labelSmoothing);
            case LossKind.BinaryCrossEntropy:
                return F.binary_cross_entropy_with_logits(logits, BinaryTargets(logits, labels, labelSmoothing));
        }

        var outputs = Output(output, logits);
        var targets = labels.to_type(logits.dtype).reshape(logits.shape);
        return loss switch
        {
            LossKind.MeanAbsoluteError => F.l1_loss(outputs, targets),
            LossKind.Huber => F.huber_loss(outputs, targets),
            _ => F.mse_loss(outputs, targets),
        };
    }

    /// <summary>
    /// The declared loss of each sample, <c>[N]</c>: as <see cref="Loss"/> without the batch mean (a sample with several
    /// outputs gets the mean over them, as Keras' losses reduce the last axis), so that their mean equals <see cref="Loss"/>.
    /// </summary>
    public static Tensor SampleLosses(LossKind loss, OutputKind output, Tensor logits, Tensor labels, double labelSmoothing = 0)
    {
        var count = logits.shape[0];
        switch (loss)
        {
            case LossKind.SparseCategoricalCrossEntropy:
                return F.cross_entropy(logits, labels, reduction: nn.Reduction.None, label_smoothing: labelSmoothing);
            case LossKind.BinaryCrossEntropy:
                return F.binary_cross_entropy_with_logits(logits, BinaryTargets(logits, labels, labelSmoothing), reduction: nn.Reduction.None)
                    .reshape(count, -1).mean([1]);
        }

        var outputs = Output(output, logits);
        var targets = labels.to_type(logits.dtype).reshape(logits.shape);
        var elements = loss switch
        {
            LossKind.MeanAbsoluteError => F.l1_loss(outputs, targets, reduction: nn.Reduction.None),
            LossKind.Huber => F.huber_loss(outputs, targets, reduction: nn.Reduction.None),
            _ => F.mse_loss(outputs, targets, reduction: nn.Reduction.None),
        };
        return elements.reshape(count, -1).mean([1]);
    }

    /// <summary>Binary cross-entropy targets shaped as the logits, smoothed as Keras does: y·(1 − ε) + ε / 2.</summary>
    private static Tensor BinaryTargets(Tensor logits, Tensor labels, double labelSmoothing)
    {
        var targets = labels.to_type(logits.dtype).reshape(logits.shape);
        return labelSmoothing == 0 ? targets : targets.mul(1 - labelSmoothing).add(labelSmoothing / 2);
    }

    /// <summary>The output activation applied to logits (identity for a linear output).</summary>
    public static Tensor Output(OutputKind output, Tensor logits) => output switch
    {
        OutputKind.Softmax => nn.functional.softmax(logits, -1),
        OutputKind.Sigmoid => nn.functional.sigmoid(logits),
        _ => logits,
    };
}

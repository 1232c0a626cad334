using System.ComponentModel;
using DslNet.Training;

namespace DslNet;

/// <summary>
/// What a generated model declares, as data: its name, input shape and compile-time facts, and its training setup
/// (the attributes it was declared with, every Keras argument written out). The generated class passes one to
/// <see cref="DslModule"/>, which trains, evaluates and predicts from it. Written by the generator; not meant to be built by hand.
/// </summary>
/// <param name="Name">The model's name (the class name unless <c>[Model(Name = …)]</c>): summaries, messages, log file names.</param>
/// <param name="SampleShape">The shape of one input sample (without the batch dimension).</param>
/// <param name="Summary">The Keras-style summary known at compile time.</param>
/// <param name="ParameterCount">The number of trainable parameters (Keras' count).</param>
/// <param name="Seed">The seed of weight initialization, shuffling and dropout (<c>[Model(Seed)]</c>).</param>
/// <param name="Train">Epochs, batch size and shuffling (<c>[Train]</c>, or its defaults).</param>
/// <param name="Optimizer">The optimizer and its Keras arguments (Keras' default RMSprop when none is declared).</param>
/// <param name="Schedule">The learning-rate schedule, if declared.</param>
/// <param name="EarlyStopping">Early stopping, if declared.</param>
/// <param name="Loss">The loss (resolved from the output layer when not declared; never <see cref="LossKind.Auto"/>).</param>
/// <param name="Output">How the last activation maps logits to outputs.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed record ModelDeclaration(
    string Name,
    long[] SampleShape,
    string Summary,
    long ParameterCount,
    int Seed,
    TrainAttribute Train,
    OptimizerAttribute Optimizer,
    ScheduleAttribute? Schedule,
    EarlyStoppingAttribute? EarlyStopping,
    LossKind Loss,
    OutputKind Output)
{
    /// <summary>Whether accuracy is computed: the loss is a classification loss.</summary>
    public bool IsClassifier => Loss is LossKind.SparseCategoricalCrossEntropy or LossKind.BinaryCrossEntropy;

    /// <summary>The number of values the network outputs per sample (the number of classes for a softmax output).</summary>
    public int OutputUnits { get; init; }

    /// <summary>Keras' <c>label_smoothing</c> of the cross-entropy losses (<c>[Loss(LabelSmoothing = …)]</c>; 0 = none), in training and evaluation alike.</summary>
    public double LabelSmoothing { get; init; }

    /// <summary>
    /// <c>[TestTimeAugmentation]</c>, if declared: <c>Predict</c>, <c>Evaluate</c> and validation average over flipped and shifted
    /// copies of the input (never the training steps, never the exported graphs).
    /// </summary>
    public TestTimeAugmentationAttribute? TestTimeAugmentation { get; init; }
}

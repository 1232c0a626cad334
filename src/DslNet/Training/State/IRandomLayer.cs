using static TorchSharp.torch;

namespace DslNet.Training.State;

/// <summary>
/// A layer that draws from a generator of its own (<c>[RandomFlip]</c>, <c>[RandomCrop]</c>). <see cref="TrainingState"/>
/// finds every such layer in a model and saves and restores its generator with the rest of the run, so a resumed or
/// calibrated run draws the same flips and crops as an uninterrupted one.
/// </summary>
internal interface IRandomLayer
{
    /// <summary>The layer's own generator.</summary>
    Generator Generator { get; }
}

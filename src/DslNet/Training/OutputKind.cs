namespace DslNet.Training;

/// <summary>How a model's output activation maps logits to predictions.</summary>
public enum OutputKind
{
    /// <summary>Softmax over classes: the prediction is the arg-max of the logits; labels are int64 class indices.</summary>
    Softmax,

    /// <summary>One sigmoid unit: the prediction is logit &gt; 0 (probability &gt; 0.5); labels are 0/1.</summary>
    Sigmoid,

    /// <summary>No output activation (regression).</summary>
    Linear,
}

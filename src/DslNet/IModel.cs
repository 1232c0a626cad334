using static TorchSharp.torch;

namespace DslNet;

/// <summary>
/// What every generated model offers, so code can train and compare models of different classes
/// (each generated class implements it; its members are the class's own public members).
/// </summary>
public interface IModel : IDisposable
{
    /// <summary>The model's name (the class name unless <c>[Model(Name = …)]</c>).</summary>
    string Name { get; }

    /// <summary>
    /// The Keras-style summary of this model: the table known at compile time (the class's <c>Summary</c> constant),
    /// with "Trainable params" / "Non-trainable params" for the layers frozen now, as Keras' <c>model.summary()</c> counts them.
    /// </summary>
    string Summary { get; }

    /// <summary>Every learnable parameter (weights, biases, batch-norm scale and offset, PReLU slopes), frozen or not; not batch-norm moving statistics nor [Standardize]'s.</summary>
    long ParameterCount { get; }

    /// <summary>Writes <see cref="Summary"/> to <paramref name="output"/> (the console by default), like Keras' <c>model.summary()</c>.</summary>
    void PrintSummary(TextWriter? output = null);

    /// <summary>Trains the model with its declared optimizer, loss, schedule and callbacks.</summary>
    History Fit(Dataset train, Dataset? validation = null, FitOptions? options = null);

    /// <summary>The mean loss and the accuracy on <paramref name="data"/>, in inference mode.</summary>
    Metrics Evaluate(Dataset data);

    /// <summary>The model's outputs for <paramref name="x"/>, in inference mode.</summary>
    Tensor Predict(Tensor x);

    /// <summary>The book's learning-rate finder; weights and optimizer state are restored afterwards.</summary>
    LearningRateSearch FindLearningRate(Dataset train, double minRate = 1e-4, double maxRate = 1, int epochs = 1);

    /// <summary>Saves the weights (and standardization statistics) atomically.</summary>
    void Save(string path);

    /// <summary>Writes the inference graph as an ONNX model (opset 17, input <c>input</c>, output <c>output</c>) atomically.</summary>
    void ExportOnnx(string path);
}

/// <summary>A generated model with dropout layers, which can average predictions with dropout kept active.</summary>
public interface IMonteCarloModel : IModel
{
    /// <summary>The mean of <paramref name="samples"/> predictions with dropout active (batch norm in inference mode).</summary>
    Tensor PredictMonteCarlo(Tensor x, int samples = 10);

    /// <summary>As <see cref="PredictMonteCarlo"/>, with the standard deviation of the <paramref name="samples"/> predictions beside their mean.</summary>
    (Tensor Mean, Tensor StandardDeviation) PredictMonteCarloWithDeviation(Tensor x, int samples = 10);
}

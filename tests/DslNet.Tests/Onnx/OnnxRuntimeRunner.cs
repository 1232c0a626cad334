using Microsoft.ML.OnnxRuntime;
using Xunit;
using static TorchSharp.torch;

namespace DslNet.Tests.Onnx;

/// <summary>Runs an ONNX model in the real ONNX Runtime and compares its output with TorchSharp's.</summary>
internal static class OnnxRuntimeRunner
{
    /// <summary>The tolerance every comparison uses: 1e-5 absolute.</summary>
    public const double Tolerance = 1e-5;

    /// <summary>Runs the model (bytes or a file) on <paramref name="input"/> and returns the tensor named <c>output</c>.</summary>
    public static Tensor Run(byte[] model, Tensor input)
    {
        using var session = new InferenceSession(model);
        return Run(session, input);
    }

    public static Tensor Run(string modelPath, Tensor input)
    {
        using var session = new InferenceSession(modelPath);
        return Run(session, input);
    }

    public static Tensor Run(InferenceSession session, Tensor input)
    {
        Assert.Equal(["input"], session.InputNames);
        Assert.Equal(["output"], session.OutputNames);
        using var values = input.detach().to(ScalarType.Float32).contiguous();
        var data = values.data<float>().ToArray();
        using var ortInput = OrtValue.CreateTensorValueFromMemory(data, values.shape);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["input"], [ortInput], ["output"]);
        var result = outputs[0];
        var shape = result.GetTensorTypeAndShape().Shape;
        return tensor(result.GetTensorDataAsSpan<float>().ToArray(), shape);
    }

    /// <summary>Asserts same shape and every value within <see cref="Tolerance"/>, naming the largest difference.</summary>
    public static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        using var difference = (expected.to(ScalarType.Float32) - actual).abs().max();
        var largest = difference.item<float>();
        Assert.True(largest <= Tolerance, $"{what}: ONNX Runtime differs from TorchSharp by up to {largest:G3} (tolerance {Tolerance:G1}).");
    }
}

using Xunit;

namespace DslNet.Tests.Models;

public class MetricsTests
{
    [Fact]
    public void From_probabilities_gives_log_loss_and_accuracy()
    {
        using var probabilities = TorchSharp.torch.tensor(new float[] { 0.7f, 0.2f, 0.1f, 0.1f, 0.3f, 0.6f }).reshape(2, 3);
        using var labels = TorchSharp.torch.tensor(new long[] { 0, 1 });

        var metrics = Metrics.FromProbabilities(probabilities, labels);

        Assert.Equal(0.5, metrics.Accuracy);
        Assert.Equal(-(Math.Log(0.7) + Math.Log(0.3)) / 2, metrics.Loss, 6);
    }

    [Fact]
    public void From_probabilities_rejects_mismatched_shapes()
    {
        using var probabilities = TorchSharp.torch.zeros(3, 10);
        using var labels = TorchSharp.torch.zeros(2, dtype: TorchSharp.torch.ScalarType.Int64);

        var error = Assert.Throws<ArgumentException>(() => Metrics.FromProbabilities(probabilities, labels));

        Assert.Contains("[3, 10]", error.Message);
    }
}

using DslNet.Tests.Onnx;
using DslNet.Training;
using Xunit;
using static TorchSharp.torch;

namespace DslNet.Tests.Models;

[Model(2, 5, 6)]
[Conv2D(3, 3, Padding = Padding.Same, Act = Act.Tanh)]
[Flatten]
[Dense(4, Act = Act.Softmax)]
[Train(BatchSize = 2)]
[Sgd(LearningRate = 0.1)]
[TestTimeAugmentation(Translate = 1)]
public partial class MirrorShiftClassifier;

[Model(1, 4, 5)]
[Flatten]
[Dense(1, Act = Act.Sigmoid)]
[TestTimeAugmentation]
public partial class MirrorBinaryClassifier;

[Model(1, 6, 5)]
[Flatten]
[Dense(2)]
[TestTimeAugmentation(Flip = false, Translate = 2)]
public partial class ShiftRegressor;

/// <summary>
/// [TestTimeAugmentation] against averages computed here from the module's own forward on copies built by index selection
/// (not by the runtime's reflect padding): Predict, Evaluate's loss and accuracy, Fit's validation; never the ONNX graph.
/// </summary>
public class TestTimeAugmentationTests
{
    /// <summary>x shifted by <paramref name="shift"/> along dimension <paramref name="dim"/> with reflect padding: out[i] = x[reflect(i + shift)].</summary>
    private static Tensor Shift(Tensor x, int dim, int shift)
    {
        var size = (int)x.shape[dim];
        var index = Enumerable.Range(0, size).Select(i =>
        {
            var j = i + shift;
            return (long)(j < 0 ? -j : j >= size ? (2 * (size - 1)) - j : j);
        }).ToArray();
        return x.index_select(dim, tensor(index));
    }

    private static Tensor Shifted(Tensor x, int shift) => Shift(Shift(x, 2, shift), 3, shift);

    private static Tensor Mirror(Tensor x) => x.flip(3);

    /// <summary>The plain network's output, in inference mode.</summary>
    private static Tensor Plain(nn.Module<Tensor, Tensor> model, Tensor x)
    {
        using var noGrad = no_grad();
        model.eval();
        return model.call(x);
    }

    /// <summary>airbench94's level 2 with the outputs: ¼ x, ¼ mirror(x), ⅛ each of the mirrored shifts by (−1, −1) and (+1, +1).</summary>
    private static Tensor ExpectedMirrorShift(nn.Module<Tensor, Tensor> model, Tensor x)
    {
        var down = Shifted(x, -1);
        var up = Shifted(x, 1);
        return (0.25 * (Plain(model, x) + Plain(model, Mirror(x)))) +
               (0.125 * (Plain(model, down) + Plain(model, Mirror(down)) + Plain(model, up) + Plain(model, Mirror(up))));
    }

    private static Tensor Images(int count, long[] shape, int seed) =>
        randn([count, .. shape], generator: new Generator((ulong)seed));

    [Fact]
    public void Predict_averages_the_probabilities_over_the_mirrored_and_shifted_copies()
    {
        using var scope = NewDisposeScope();
        using var model = new MirrorShiftClassifier();
        var x = Images(5, MirrorShiftClassifier.SampleShape.ToArray(), 1);

        var expected = ExpectedMirrorShift(model, x);
        var predicted = model.Predict(x);

        Assert.True(predicted.allclose(expected, rtol: 1e-4, atol: 1e-6), "Predict is the weighted average of the copies' probabilities");
        Assert.False(predicted.allclose(Plain(model, x), rtol: 1e-3, atol: 1e-4), "the copies change the prediction (else the test shows nothing)");
        Assert.True(predicted.sum(1).allclose(ones(5), atol: 1e-5), "an average of distributions is a distribution");
    }

    [Fact]
    public void Evaluate_reports_the_loss_and_accuracy_of_the_averaged_prediction()
    {
        using var scope = NewDisposeScope();
        using var model = new MirrorShiftClassifier();
        var x = Images(7, MirrorShiftClassifier.SampleShape.ToArray(), 2);
        var expected = ExpectedMirrorShift(model, x);
        var labels = expected.argmin(1); // labels the averaged prediction gets wrong: accuracy 0 unless the plain one is used
        labels[0] = expected[0].argmax();

        var metrics = model.Evaluate(new Dataset(x, labels));

        var expectedLoss = -expected.gather(1, labels.unsqueeze(1)).log().mean().item<float>();
        Assert.Equal(expectedLoss, metrics.Loss, 1e-4);
        Assert.Equal(1.0 / 7, metrics.Accuracy, 1e-9);
    }

    [Fact]
    public void Fit_validates_with_the_averaged_prediction()
    {
        using var scope = NewDisposeScope();
        using var model = new MirrorShiftClassifier();
        var shape = MirrorShiftClassifier.SampleShape.ToArray();
        var train = new Dataset(Images(6, shape, 3), tensor(new long[] { 0, 1, 2, 3, 0, 1 }));
        var valid = new Dataset(Images(5, shape, 4), tensor(new long[] { 3, 2, 1, 0, 3 }));

        var history = model.Fit(train, valid, new FitOptions { Epochs = 1, Threads = 1, Progress = false, Seed = 1 });

        var expected = ExpectedMirrorShift(model, valid.Features);
        var expectedLoss = -expected.gather(1, valid.Labels.unsqueeze(1)).log().mean().item<float>();
        var plainLoss = -Plain(model, valid.Features).gather(1, valid.Labels.unsqueeze(1)).log().mean().item<float>();
        var row = Assert.Single(history.Rows);
        Assert.Equal(expectedLoss, row.ValLoss, 1e-4);
        Assert.True(Math.Abs(plainLoss - expectedLoss) > 1e-3, "the plain network's loss differs (else the test shows nothing)");
        Assert.Equal(model.Evaluate(valid).Loss, row.ValLoss, 1e-6);
    }

    [Fact]
    public void A_sigmoid_output_averages_probabilities_and_its_loss_is_their_binary_cross_entropy()
    {
        using var scope = NewDisposeScope();
        using var model = new MirrorBinaryClassifier();
        var x = Images(6, MirrorBinaryClassifier.SampleShape.ToArray(), 5) * 3;
        var y = tensor(new float[] { 1, 0, 1, 1, 0, 0 }).unsqueeze(1);

        var p = 0.5 * (Plain(model, x) + Plain(model, Mirror(x)));
        var predicted = model.Predict(x);
        var metrics = model.Evaluate(new Dataset(x, y));

        Assert.True(predicted.allclose(p, rtol: 1e-4, atol: 1e-6));
        var expectedLoss = -((y * p.log()) + ((1 - y) * (1 - p).log())).mean().item<float>();
        Assert.Equal(expectedLoss, metrics.Loss, 1e-4);
        Assert.Equal(p.gt(0.5).to_type(ScalarType.Float32).eq(y).to_type(ScalarType.Float32).mean().item<float>(), metrics.Accuracy, 1e-6);
    }

    [Fact]
    public void A_linear_output_averages_the_values_over_the_shifts_without_mirror()
    {
        using var scope = NewDisposeScope();
        using var model = new ShiftRegressor();
        var x = Images(4, ShiftRegressor.SampleShape.ToArray(), 6);

        var expected = (0.5 * Plain(model, x)) + (0.25 * (Plain(model, Shifted(x, -2)) + Plain(model, Shifted(x, 2))));

        var predicted = model.Predict(x);
        var y = Images(4, [2], 7);

        Assert.True(predicted.allclose(expected, rtol: 1e-4, atol: 1e-6));
        Assert.Equal((expected - y).square().mean().item<float>(), model.Evaluate(new Dataset(x, y)).Loss, 1e-4);
    }

    [Fact]
    public void The_exported_Onnx_graph_is_the_plain_network()
    {
        using var scope = NewDisposeScope();
        using var model = new MirrorShiftClassifier();
        var x = Images(3, MirrorShiftClassifier.SampleShape.ToArray(), 7);
        var path = Path.Combine(Path.GetTempPath(), $"dslnet-tta-{Guid.NewGuid():N}.onnx");
        try
        {
            model.ExportOnnx(path);
            var onnx = OnnxRuntimeRunner.Run(path, x);

            OnnxRuntimeRunner.AssertClose(Plain(model, x), onnx, "MirrorShiftClassifier's plain forward");
            Assert.False(model.Predict(x).allclose(onnx, rtol: 1e-3, atol: 1e-4), "Predict averages, the graph does not");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_declaration_carries_the_augmentation_to_the_training_loop()
    {
        using var model = new MirrorShiftClassifier();
        using var plain = new SmoothedClassifier();

        var declared = ((ITrainableModel)model).TestTimeAugmentation;

        Assert.NotNull(declared);
        Assert.True(declared.Flip);
        Assert.Equal(1, declared.Translate);
        Assert.Null(((ITrainableModel)plain).TestTimeAugmentation);
    }
}

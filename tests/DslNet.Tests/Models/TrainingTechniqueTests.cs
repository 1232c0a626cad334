using DslNet.Layers;
using DslNet.Tests.Training;
using DslNet.Training;
using Xunit;
using static TorchSharp.torch;

namespace DslNet.Tests.Models;

[Model(4)]
[Dense(3, Act = Act.Softmax)]
[Loss(LabelSmoothing = 0.2)]
public partial class SmoothedClassifier;

[Model(4)]
[Dense(1, Act = Act.Sigmoid)]
[Loss(LossKind.BinaryCrossEntropy, LabelSmoothing = 0.3)]
public partial class SmoothedBinaryClassifier;

[Model(2, 5, 5)]
[Conv2D(3, 3, Padding = Padding.Same, Init = Init.Dirac, UseBias = false)]
[Flatten]
[Dense(4, Act = Act.Softmax, Init = Init.Dirac)]
public partial class DiracNet;

/// <summary>
/// The declared techniques of fast image classifiers, against formulas written out here: Keras' label smoothing of the
/// cross-entropy losses (in the loss that trains and in the one <c>Evaluate</c> reports) and torch's <c>dirac_</c>.
/// </summary>
public class TrainingTechniqueTests
{
    private static readonly float[,] Features =
    {
        { 0.5f, -1.0f, 2.0f, 0.1f },
        { -0.3f, 0.8f, -1.2f, 1.5f },
        { 1.1f, 0.2f, 0.4f, -0.7f },
        { -2.0f, -0.5f, 0.9f, 0.3f },
        { 0.0f, 1.3f, -0.6f, -1.1f },
    };

    [Fact]
    public void Categorical_label_smoothing_is_Keras_formula_in_training_and_in_Evaluate()
    {
        const double epsilon = 0.2;
        using var model = new SmoothedClassifier();
        var x = tensor(Features);
        long[] classes = [0, 2, 1, 2, 0];
        var labels = tensor(classes);

        // −Σ_c t_c·log p_c with t = (1 − ε)·onehot + ε / C, from the model's own probabilities.
        var probabilities = model.Predict(x).data<float>().ToArray();
        var expected = 0.0;
        for (var i = 0; i < classes.Length; i++)
        {
            for (var c = 0; c < 3; c++)
            {
                var target = (c == classes[i] ? 1 - epsilon : 0) + epsilon / 3;
                expected -= target * Math.Log(probabilities[(i * 3) + c]);
            }
        }

        expected /= classes.Length;

        var trainingLoss = ((ITrainableModel)model).DataLoss(((ITrainableModel)model).Logits(x), labels).item<float>();
        Assert.Equal(expected, trainingLoss, 1e-5);
        Assert.Equal(expected, model.Evaluate(new Dataset(x, labels)).Loss, 1e-5);
        Assert.Equal(expected, ((ITrainableModel)model).SampleLosses(((ITrainableModel)model).Logits(x), labels).mean().item<float>(), 1e-5);
    }

    [Fact]
    public void Binary_label_smoothing_moves_targets_halfway_to_one_half()
    {
        const double epsilon = 0.3;
        using var model = new SmoothedBinaryClassifier();
        var x = tensor(Features);
        float[] y = [1, 0, 0, 1, 1];
        var labels = tensor(y);

        // −[t·log p + (1 − t)·log(1 − p)] with t = y·(1 − ε) + ε / 2 (Keras' binary_crossentropy).
        var p = model.Predict(x).data<float>().ToArray();
        var expected = 0.0;
        for (var i = 0; i < y.Length; i++)
        {
            var t = (y[i] * (1 - epsilon)) + (epsilon / 2);
            expected -= (t * Math.Log(p[i])) + ((1 - t) * Math.Log(1 - p[i]));
        }

        expected /= y.Length;

        Assert.Equal(expected, ((ITrainableModel)model).DataLoss(((ITrainableModel)model).Logits(x), labels).item<float>(), 1e-5);
        Assert.Equal(expected, model.Evaluate(new Dataset(x, labels)).Loss, 1e-5);
    }

    [Theory]
    [InlineData(4, 2, 3)]   // more outputs than inputs: outputs 2 and 3 start at zero
    [InlineData(2, 4, 3)]   // fewer: only the first two inputs pass
    [InlineData(3, 3, 1)]
    [InlineData(3, 3, 4)]   // even kernel: torch puts the 1 at index k / 2
    public void Dirac_is_torch_dirac_for_convolutions(int outChannels, int inChannels, int kernel)
    {
        var weight = randn(outChannels, inChannels, kernel, kernel);
        Initializers.Dirac(weight);

        var values = weight.data<float>().ToArray();
        var k = 0;
        for (var o = 0; o < outChannels; o++)
        {
            for (var i = 0; i < inChannels; i++)
            {
                for (var a = 0; a < kernel; a++)
                {
                    for (var b = 0; b < kernel; b++)
                    {
                        var one = o == i && a == kernel / 2 && b == kernel / 2;
                        Assert.Equal(one ? 1f : 0f, values[k++]);
                    }
                }
            }
        }
    }

    [Fact]
    public void Dirac_dense_is_the_identity_where_shapes_allow()
    {
        var weight = randn(3, 5);
        Initializers.Apply(weight, Init.Dirac, new Generator(1));

        var values = weight.data<float>().ToArray();
        for (var o = 0; o < 3; o++)
        {
            for (var i = 0; i < 5; i++)
            {
                Assert.Equal(o == i ? 1f : 0f, values[(o * 5) + i]);
            }
        }
    }

    [Fact]
    public void A_declared_Dirac_convolution_passes_its_input_through()
    {
        using var model = new DiracNet();
        var conv = model.named_parameters().First(p => p.name.EndsWith("weight", StringComparison.Ordinal) && p.parameter.dim() == 4).parameter;
        var x = randn(2, 2, 5, 5);

        var y = nn.functional.conv2d(x, conv, padding: [1, 1]);

        Assert.True(y.narrow(1, 0, 2).allclose(x), "channels 0 and 1 copy the input");
        Assert.Equal(0f, y.narrow(1, 2, 1).abs().max().item<float>());
    }
}

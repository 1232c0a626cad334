using DslNet;
using DslNet.Layers;
using TorchSharp;
using Xunit;
using static DslNet.Tests.Onnx.OnnxRuntimeRunner;
using static TorchSharp.torch;

namespace DslNet.Tests.Convolution;

/// <summary>A whitening first layer on raw inputs with GELU after it (airbench's), under a small head.</summary>
[Model(3, 6, 6)]
[Whiten(Act = Act.GELU)]
[GlobalAvgPool]
[Dense(3, Act = Act.Softmax)]
[Sgd(LearningRate = 0.1)]
public partial class WhitenNet;

/// <summary>Whitening of standardized inputs behind an augmentation layer (the identity while adapting), 3×3 patches.</summary>
[Model(3, 6, 6)]
[Standardize]
[RandomCrop(1)]
[Whiten(Kernel = 3, Epsilon = 1e-6)]
[GlobalAvgPool]
[Dense(3, Act = Act.Softmax)]
public partial class StandardizedWhitenNet;

/// <summary>
/// <c>[Whiten]</c> at run time: the weights it adapts whiten the patches as they reach it (after <c>[Standardize]</c>, the
/// layers before it in inference mode, the first 5,000 images only), they stay frozen while the bias trains, a later
/// <c>Fit</c>, <c>Load</c> and <c>ImportWeights</c> keep them, the parameter counts, and ONNX Runtime agrees with <c>Predict</c>.
/// </summary>
public sealed class WhiteningTests
{
    [Fact]
    public void The_adapted_weights_whiten_the_training_patches()
    {
        using var scope = NewDisposeScope();
        using var model = new WhitenNet();
        var features = Correlated(600, seed: 1);
        var patches = Patches(features, 2);
        Assert.True(OffIdentity(SecondMoment(patches)) > 0.3, "The test data's patches must not be white already.");

        model.Fit(new Dataset(features, Labels(600)), options: Quick(1));

        var weight = State(model, "whiten.weight");
        Assert.Equal(new long[] { 24, 3, 2, 2 }, weight.shape);
        // The first C·k² = 12 filters give outputs of covariance ≈ I (λ/(λ + ε) with ε = 5e-4 ≪ λ), and so do their negatives.
        var outputs = patches.matmul(weight.reshape(24, 12).t().to(float64));
        Assert.True(OffIdentity(SecondMoment(outputs.narrow(1, 0, 12))) < 0.01, $"Not white: {OffIdentity(SecondMoment(outputs.narrow(1, 0, 12))):G3} off the identity.");
        Assert.True(OffIdentity(SecondMoment(outputs.narrow(1, 12, 12))) < 0.01);
        Assert.True(outputs.narrow(1, 12, 12).allclose(-outputs.narrow(1, 0, 12)));
    }

    [Fact]
    public void It_adapts_after_standardization_in_inference_mode_on_the_first_5000_images_only()
    {
        using var scope = NewDisposeScope();
        using var model = new StandardizedWhitenNet();
        // 5,000 images, then 300 of another scale and mixing: were they counted, the whitening would not fit the first ones.
        var features = cat([Correlated(5000, seed: 2) + 40, (Correlated(300, seed: 3).flip(1) * 30) + 40]);

        model.Fit(new Dataset(features, Labels(5300)), options: Quick(1));

        var standardized = (features.narrow(0, 0, 5000) - State(model, "standardize.mean")) / State(model, "standardize.std");
        var weight = State(model, "whiten.weight");
        Assert.Equal(new long[] { 54, 3, 3, 3 }, weight.shape);
        // Whitened as they reach the layer: standardized, not cropped (a crop while adapting puts zeros in a quarter of the patches).
        var outputs = Patches(standardized, 3).matmul(weight.reshape(54, 27).t().to(float64));
        Assert.True(OffIdentity(SecondMoment(outputs.narrow(1, 0, 27))) < 0.01, $"Not white: {OffIdentity(SecondMoment(outputs.narrow(1, 0, 27))):G3} off the identity.");
    }

    [Fact]
    public void The_weights_stay_frozen_the_bias_trains_and_a_second_Fit_keeps_the_whitening()
    {
        using var scope = NewDisposeScope();
        using var model = new WhitenNet();
        var features = Correlated(400, seed: 4);
        using var expected = new Whitening(3, 2, 5e-4);
        expected.Adapt(features);

        Assert.DoesNotContain("whiten.weight", model.named_parameters().Select(p => p.name));
        Assert.Contains("whiten.bias", model.named_parameters().Select(p => p.name));
        model.Fit(new Dataset(features, Labels(400)), options: Quick(2));

        // The whitening of the first Fit's data, untouched by two epochs of SGD; the bias has trained.
        var weight = State(model, "whiten.weight").clone();
        Assert.True(weight.allclose(expected.Weight, rtol: 1e-5, atol: 1e-6), "The weights are not the whitening of the training data, or they trained.");
        var bias = State(model, "whiten.bias").clone();
        Assert.True(bias.abs().max().item<float>() > 1e-4, "The bias did not train.");

        // Another Fit on other data (other scale and mixing) neither adapts again nor trains the weights.
        model.Fit(new Dataset(Correlated(400, seed: 5).flip(1) * 3, Labels(400)), options: Quick(1));

        Assert.True(Same(State(model, "whiten.weight"), weight));
        Assert.False(Same(State(model, "whiten.bias"), bias));
    }

    [Fact]
    public void Save_and_Load_and_ExportWeights_and_ImportWeights_keep_the_whitening_and_Fit_does_not_replace_it()
    {
        using var scope = NewDisposeScope();
        using var model = new WhitenNet();
        var features = Correlated(300, seed: 6);
        model.Fit(new Dataset(features, Labels(300)), options: Quick(1));
        var folder = Directory.CreateTempSubdirectory("dslnet-whiten-");
        try
        {
            var saved = Path.Combine(folder.FullName, "whiten.weights");
            var exported = Path.Combine(folder.FullName, "whiten.safetensors");
            model.Save(saved);
            model.ExportWeights(exported);

            using var loaded = WhitenNet.Load(saved);
            using var imported = new WhitenNet();
            imported.ImportWeights(exported);

            foreach (var copy in new[] { loaded, imported })
            {
                Assert.True(Same(State(copy, "whiten.weight"), State(model, "whiten.weight")));
                Assert.True(Same(copy.Predict(features), model.Predict(features)));
                copy.Fit(new Dataset(Correlated(300, seed: 7).flip(1) * 3, Labels(300)), options: Quick(1));
                Assert.True(Same(State(copy, "whiten.weight"), State(model, "whiten.weight")), "A Fit after Load / ImportWeights computed the whitening again.");
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_summary_counts_the_frozen_filters_as_non_trainable()
    {
        using var model = new WhitenNet();
        var summary = ((IModel)model).Summary;

        // 24 filters of 3·2·2 weights (288, frozen) and 24 biases; the Dense 24·3 + 3 = 75.
        Assert.Equal(99, WhitenNet.ParameterCount);
        Assert.Matches(@"whiten \(Whiten, gelu\)\s+\(None, 24, 5, 5\)\s+312\n", summary);
        Assert.Contains("Total params: 387\n", summary);
        Assert.Contains("Trainable params: 99\n", summary);
        Assert.Contains("Non-trainable params: 288\n", summary);
        Assert.Equal(WhitenNet.Summary, summary); // the instance's count (parameters requiring a gradient) agrees with the generator's
    }

    [Theory]
    [InlineData(1)]
    [InlineData(17)]
    public void Onnx_Runtime_gives_what_Predict_gives_after_adapting(int batch)
    {
        using var scope = NewDisposeScope();
        using var model = new StandardizedWhitenNet();
        var features = Correlated(200, seed: 8) + 40;
        model.Fit(new Dataset(features, Labels(200)), options: Quick(1));
        var path = Path.Combine(Path.GetTempPath(), $"dslnet-{Guid.NewGuid():N}.onnx");
        try
        {
            model.ExportOnnx(path);

            var x = features.narrow(0, 0, batch);
            AssertClose(model.Predict(x), Run(path, x), nameof(StandardizedWhitenNet));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static FitOptions Quick(int epochs) => new() { Epochs = epochs, BatchSize = 100, Progress = false, Threads = 1 };

    private static Tensor Labels(int count) => arange(count, dtype: int64) % 3;

    /// <summary>Images whose channels and neighbouring columns are correlated: a patch covariance far from the identity.</summary>
    private static Tensor Correlated(int count, int seed)
    {
        var z = randn([count, 3, 6, 6], generator: new Generator((ulong)seed));
        var mixing = tensor(new float[] { 1, 0, 0, 0.8f, 0.6f, 0, 0.5f, 0.5f, 0.7f }).reshape(3, 3);
        var mixed = z.permute(0, 2, 3, 1).matmul(mixing.t()).permute(0, 3, 1, 2); // channel i = Σⱼ mixing[i, j]·zⱼ
        return (mixed + (0.8f * mixed.roll(1, 3))) * 2;
    }

    /// <summary>Every k × k patch (stride 1) as a row in the conv weight's (C, k, k) order, float64.</summary>
    private static Tensor Patches(Tensor maps, long k) =>
        maps.unfold(2, k, 1).unfold(3, k, 1).permute(0, 2, 3, 1, 4, 5).reshape(-1, maps.shape[1] * k * k).to(float64);

    private static Tensor SecondMoment(Tensor rows) => rows.t().matmul(rows) / rows.shape[0];

    private static double OffIdentity(Tensor moment) => (moment - eye(moment.shape[0], dtype: float64)).abs().max().item<double>();

    /// <summary>Bit for bit the same values.</summary>
    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.allclose(b, rtol: 0, atol: 0);

    private static Tensor State(nn.Module model, string name) => model.state_dict()[name];
}

using DslNet.Samples.Chapter11.Models;
using DslNet.Tests.Models;
using DslNet.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DslNet.Tests.Training;

/// <summary>The chapter's transfer learning: FromPretrained copies, frozen layers stay put, the optimizer's lifetime.</summary>
[Collection(TorchRandomCollection.Name)]
public sealed class TransferTests
{
    private static readonly FitOptions Quiet = new() { Epochs = 2, Progress = false, Threads = 1 };

    [Fact]
    public void Summary_splits_trainable_and_frozen_parameters_as_Keras_does()
    {
        // Keras: hidden1 12·16+16, hidden2 16·16+16, hidden3 16·8, its batch norm 2·8 learnable + 2·8 moving, output 8+1.
        Assert.Equal(208 + 272 + 128 + 16 + 9, BinaryOnFourClassNet.ParameterCount);
        Assert.Contains("Total params: 649\n", BinaryOnFourClassNet.Summary);
        Assert.Contains("Trainable params: 9\n", BinaryOnFourClassNet.Summary);
        Assert.Contains("Non-trainable params: 640\n", BinaryOnFourClassNet.Summary);

        // A frozen Dense(16) and BatchNorm(16) by declaration: Keras counts 208 + 32 + 32 non-trainable, the output's 51 trainable.
        Assert.Contains("Total params: 323\n", DeclaredFrozenNet.Summary);
        Assert.Contains("Trainable params: 51\n", DeclaredFrozenNet.Summary);
        Assert.Contains("Non-trainable params: 272\n", DeclaredFrozenNet.Summary);

        // The sample's model B on A: Keras' model_B_on_A has 307,300 + 2 · 10,100 + 101 weights, 101 of them trainable.
        Assert.Equal(327_601, CatDogOnSourceNet.ParameterCount);
        Assert.Equal(CatDogNet.ParameterCount, CatDogOnSourceNet.ParameterCount);
        Assert.Contains("Trainable params: 101\n", CatDogOnSourceNet.Summary);
        Assert.Contains("Non-trainable params: 333,644\n", CatDogOnSourceNet.Summary); // 327,500 frozen + 6,144 standardization statistics
    }

    [Fact]
    public void The_summary_of_an_instance_is_printed_and_follows_what_is_frozen_now()
    {
        using var model = new BinaryOnFourClassNet();
        using var other = new FourClassNet();
        IModel[] models = [model, other];

        Assert.Equal(BinaryOnFourClassNet.Summary, models[0].Summary);
        Assert.Equal(FourClassNet.Summary, models[1].Summary);
        var printed = new StringWriter();
        foreach (var each in models)
        {
            each.PrintSummary(printed);
        }

        Assert.Equal(BinaryOnFourClassNet.Summary + FourClassNet.Summary, printed.ToString());

        model.UnfreezeReused();

        var thawed = new StringWriter();
        model.PrintSummary(thawed);
        Assert.Contains("Total params: 649\nTrainable params: 633\nNon-trainable params: 16\n", thawed.ToString());
        Assert.Equal(thawed.ToString(), ((IModel)model).Summary);
        Assert.Equal(
            BinaryOnFourClassNet.Summary.Split("Total params")[0],
            thawed.ToString().Split("Total params")[0]);
        model.Freeze("hidden2");
        Assert.Contains("Trainable params: 361\nNon-trainable params: 288\n", ((IModel)model).Summary);
    }

    [Fact]
    public void PrintSummary_writes_to_the_console_by_default()
    {
        using var model = new FourClassNet();
        var console = Console.Out;
        var captured = new StringWriter();
        try
        {
            Console.SetOut(captured);
            model.PrintSummary();
        }
        finally
        {
            Console.SetOut(console);
        }

        Assert.Contains(FourClassNet.Summary, captured.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void FromPretrained_copies_exactly_the_reused_layers_and_leaves_the_source_alone()
    {
        using var source = TrainedSource();
        var before = State(source);

        using var model = BinaryOnFourClassNet.FromPretrained(source);
        using var fresh = new BinaryOnFourClassNet();

        var copied = State(model);
        foreach (var (name, value) in before.Where(entry => !entry.Key.StartsWith("output.", StringComparison.Ordinal)))
        {
            Assert.True(Same(copied[name], value), $"{name} is the source's");
        }

        Assert.Contains(before.Keys, name => name.StartsWith("hidden3Norm.running_mean", StringComparison.Ordinal));
        var own = State(fresh);
        Assert.True(Same(copied["output.weight"], own["output.weight"]), "the new output layer is initialized with the model's own seed");
        Assert.NotEqual(before["output.weight"].shape, copied["output.weight"].shape);

        model.UnfreezeReused();
        model.Fit(BinaryData(), options: Quiet);

        Assert.False(Same(State(model)["hidden1.weight"], before["hidden1.weight"]), "training the copy moved its weights");
        AssertSame(before, State(source), "the source after training the copy");
    }

    [Fact]
    public void Frozen_layers_are_bit_identical_after_Fit_and_move_after_UnfreezeReused()
    {
        using var source = TrainedSource();
        using var model = BinaryOnFourClassNet.FromPretrained(source);
        var start = State(model);

        model.Fit(BinaryData(), options: Quiet);

        var phase1 = State(model);
        AssertSame(start.Where(entry => !entry.Key.StartsWith("output.", StringComparison.Ordinal)), phase1, "reused layers while frozen (batch-norm moving statistics included)");
        Assert.False(Same(phase1["output.weight"], start["output.weight"]), "the new output layer trained");

        model.UnfreezeReused();
        model.Fit(BinaryData(), options: Quiet);

        var phase2 = State(model);
        foreach (var name in new[] { "hidden1.weight", "hidden2.bias", "hidden3.weight", "hidden3Norm.weight", "hidden3Norm.running_mean", "hidden3Norm.running_var" })
        {
            Assert.False(Same(phase2[name], phase1[name]), $"{name} moved once unfrozen");
        }
    }

    [Fact]
    public void Declared_frozen_layers_get_no_penalty_no_constraint_and_keep_batch_norm_statistics()
    {
        var (train, _) = SyntheticData.Blobs(classes: 3, features: 12);
        using var model = new DeclaredFrozenNet();
        var start = State(model);

        model.Fit(train, options: Quiet);

        var trained = State(model);
        AssertSame(start.Where(entry => !entry.Key.StartsWith("output.", StringComparison.Ordinal)), trained, "frozen Dense (ℓ2, max-norm 0.05) and frozen BatchNorm");
        Assert.True(RowNorms(trained["hidden1.weight"]).max().item<float>() > 0.05f, "max-norm would have shrunk these rows");
        Assert.False(Same(trained["output.weight"], start["output.weight"]));

        model.Unfreeze("hidden1");
        model.Fit(train, options: Quiet);

        var thawed = State(model)["hidden1.weight"];
        Assert.True(RowNorms(thawed).max().item<float>() <= 0.05f + 1e-6f, "unfrozen, max-norm applies");
        Assert.True(Same(State(model)["batchNorm1.running_mean"], start["batchNorm1.running_mean"]), "the batch norm is still frozen");
    }

    [Fact]
    public void Penalties_and_max_norm_leave_a_frozen_parameter_alone_and_still_apply_to_plain_tensors()
    {
        using var frozen = new TorchSharp.Modules.Parameter(tensor(new float[,] { { 3, 4 } }), requires_grad: false);
        using var plain = tensor(new float[,] { { 3, 4 } });

        Assert.Equal(0, Penalties.L1(frozen, 0.1).item<float>());
        Assert.Equal(0, Penalties.L2(frozen, 0.1).item<float>());
        Assert.Equal(0.7f, Penalties.L1(plain, 0.1).item<float>(), 5);
        Constraints.MaxNorm(frozen, 1);
        Constraints.MaxNorm(plain, 1);
        Assert.Equal(5f, RowNorms(frozen).item<float>(), 5);
        Assert.Equal(1f, RowNorms(plain).item<float>(), 5);
    }

    [Fact]
    public void A_second_Fit_continues_the_optimizer_and_a_freeze_change_starts_a_fresh_one()
    {
        using var source = TrainedSource();
        var data = BinaryData();
        Tensor Run(Action<BinaryOnFourClassNet> between, FitOptions second)
        {
            using var model = BinaryOnFourClassNet.FromPretrained(source);
            model.Fit(data, options: Quiet with { Epochs = 1 });
            between(model);
            model.Fit(data, options: second);
            return State(model)["output.weight"];
        }

        var continued = Run(_ => { }, Quiet with { Epochs = 1 });
        var freshByRate = Run(_ => { }, Quiet with { Epochs = 1, LearningRate = 0.01 });
        var freshByFreezing = Run(model => { model.UnfreezeReused(); model.FreezeReused(); }, Quiet with { Epochs = 1 });

        Assert.False(Same(continued, freshByRate), "Adam's moments and step count carry over into the second Fit");
        Assert.True(Same(freshByFreezing, freshByRate), "a freeze change starts a fresh optimizer, as an explicit learning rate does");
    }

    [Fact]
    public void Fit_after_FindLearningRate_still_updates_the_weights()
    {
        using var source = TrainedSource();
        using var model = BinaryOnFourClassNet.FromPretrained(source);
        var data = BinaryData();
        model.Fit(data, options: Quiet with { Epochs = 1 });
        model.FindLearningRate(data, epochs: 1);
        var before = State(model)["output.weight"];

        model.Fit(data, options: Quiet with { Epochs = 1 });

        Assert.False(Same(State(model)["output.weight"], before), "the kept optimizer took its parameters back from the finder's");
    }

    [Fact]
    public void Freeze_of_an_unknown_layer_names_the_layers_that_can_be_frozen()
    {
        using var model = new BinaryOnFourClassNet();

        var error = Assert.Throws<ArgumentException>(() => model.Freeze("hidden9"));

        Assert.Contains("hidden1, hidden2, hidden3, output", error.Message);
    }

    [Fact]
    public void A_model_reuses_layers_of_a_model_from_another_project_with_its_statistics()
    {
        using var source = new TransferSourceNet();
        using (no_grad())
        {
            source.state_dict()["standardize.mean"].fill_(100);
            source.state_dict()["standardize.std"].fill_(50);
        }

        using var model = TwoClassOnSampleNet.FromPretrained(source);
        var images = new Dataset(rand(20, 3, 32, 32) * 255, arange(20, dtype: ScalarType.Int64) % 2);
        model.Fit(images, options: Quiet with { Epochs = 1 });

        var state = State(model);
        foreach (var name in new[] { "standardize.mean", "standardize.std", "hidden1.weight", "hidden2.bias" })
        {
            Assert.True(Same(state[name], source.state_dict()[name]), $"{name} is the source's, and Fit kept it");
        }

        Assert.Contains(" output (Dense, softmax)", TwoClassOnSampleNet.Summary);
        Assert.Contains("Trainable params: 202\n", TwoClassOnSampleNet.Summary);
    }

    [Fact]
    public void A_conv_source_with_pooling_augmentation_and_batch_norm_is_reused_frozen_then_fine_tuned_and_left_untouched()
    {
        var images = ConvImages(classes: 3, seed: 21);
        using var source = new ConvSourceNet();
        source.Fit(images, options: Quiet with { Epochs = 1 });
        var before = State(source);

        using var model = BinaryOnConvNet.FromPretrained(source);

        var start = State(model);
        var reused = start.Where(entry => !entry.Key.StartsWith("output.", StringComparison.Ordinal)).ToList();
        Assert.Contains(reused, entry => entry.Key == "conv1Norm.running_mean");
        Assert.Contains(reused, entry => entry.Key == "batchNorm1.running_var");
        AssertSame(reused, before, "copied from the source");

        var binary = ConvImages(classes: 2, seed: 22);
        model.Fit(binary, options: Quiet);

        var phase1 = State(model);
        AssertSame(reused, phase1, "reused layers while frozen (batch-norm moving statistics included)");
        Assert.False(Same(phase1["output.weight"], start["output.weight"]), "the new output layer trained");

        model.UnfreezeReused();
        model.Fit(binary, options: Quiet);

        var phase2 = State(model);
        foreach (var name in new[] { "conv1.weight", "conv1Norm.running_mean", "conv2.weight", "conv2.bias", "batchNorm1.weight", "batchNorm1.running_var" })
        {
            Assert.False(Same(phase2[name], phase1[name]), $"{name} moved once unfrozen");
        }

        var after = State(source);
        Assert.Equal(before.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));
        AssertSame(before, after, "the source after training the copy (every parameter and buffer)");
    }

    [Fact]
    public void A_copy_that_cannot_fit_names_both_models_the_layer_and_what_differs()
    {
        using var source = new ConvSourceNet();
        using var other = new FourClassNet();

        var shapes = Assert.Throws<InvalidOperationException>(() => DslNet.Layers.Pretrained.CopyLayers(source, other, ("output", "hidden1")));
        var entries = Assert.Throws<InvalidOperationException>(() => DslNet.Layers.Pretrained.CopyLayers(source, other, ("conv2", "hidden3")));

        Assert.Contains("FourClassNet cannot take layer 'output' of ConvSourceNet", shapes.Message);
        Assert.Contains("ConvSourceNet's 'output.weight' has shape [3, 8]", shapes.Message);
        Assert.Contains("FourClassNet's 'hidden1.weight' has [16, 12]", shapes.Message);
        Assert.Contains("FourClassNet cannot take layer 'conv2' of ConvSourceNet", entries.Message);
        Assert.Contains("ConvSourceNet's 'conv2' holds [bias, weight]", entries.Message);
        Assert.Contains("FourClassNet's 'hidden3' holds [weight]", entries.Message);
    }

    private static FourClassNet TrainedSource()
    {
        var (train, _) = SyntheticData.Blobs(classes: 4, features: 12);
        var model = new FourClassNet();
        model.Fit(train, options: Quiet);
        return model;
    }

    private static Dataset ConvImages(int classes, int seed)
    {
        using var generator = new Generator((ulong)seed);
        var labels = arange(48, dtype: ScalarType.Int64) % classes;
        var features = rand(48, 3, 8, 8, generator: generator) + labels.to(ScalarType.Float32).view(-1, 1, 1, 1);
        return new Dataset(features, labels);
    }

    private static Dataset BinaryData()
    {
        var (train, _) = SyntheticData.Blobs(classes: 2, features: 12, seed: 9);
        return train;
    }

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    private static Tensor RowNorms(Tensor weight) => weight.square().sum(1).sqrt();

    private static Dictionary<string, Tensor> State(nn.Module model)
    {
        using var noGrad = no_grad();
        return model.state_dict().ToDictionary(entry => entry.Key, entry => entry.Value.detach().clone());
    }

    private static void AssertSame(IEnumerable<KeyValuePair<string, Tensor>> expected, Dictionary<string, Tensor> actual, string what)
    {
        foreach (var (name, value) in expected)
        {
            Assert.True(Same(actual[name], value), $"{what}: {name} changed");
        }
    }
}

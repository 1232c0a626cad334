using DslNet.Layers;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DslNet.Tests.Models;

public class GeneratedModelTests
{
    [Fact]
    public void Parameter_count_is_Keras_count_and_the_sum_of_parameter_sizes()
    {
        using var model = new SwishNet();

        Assert.Equal(500_210, SwishNet.ParameterCount);
        Assert.Equal(SwishNet.ParameterCount, model.parameters().Where(p => p.requires_grad).Sum(p => p.numel()));
    }

    [Fact]
    public void Summary_lists_twenty_hidden_layers_the_output_and_the_total()
    {
        var lines = SwishNet.Summary.Split('\n');

        Assert.Equal(20, lines.Count(line => line.TrimStart().StartsWith("hidden", StringComparison.Ordinal) && line.Contains("(None, 100)") && line.Contains("Dense")));
        Assert.Contains(lines, line => line.TrimStart().StartsWith("output (Dense, softmax)", StringComparison.Ordinal) && line.TrimEnd().EndsWith("1,010", StringComparison.Ordinal));
        Assert.Contains("Total params: 500,210", lines);
        Assert.Contains(lines, line => line.StartsWith(" flatten (Flatten)", StringComparison.Ordinal) && line.Contains("(None, 3072)"));
    }

    [Fact]
    public void Forward_gives_probabilities_for_each_sample()
    {
        using var scope = NewDisposeScope();
        using var model = new SwishNet();
        model.eval();

        var output = model.call(rand(5, 3, 32, 32) * 255);

        Assert.Equal(new long[] { 5, 10 }, output.shape);
        var sums = output.sum(1);
        Assert.True(sums.allclose(ones(5), atol: 1e-5), "softmax rows must sum to 1");
        Assert.True(output.ge(0).all().item<bool>());
    }

    [Fact]
    public void Wrong_input_shape_throws_a_message_naming_model_expected_and_actual_shapes()
    {
        using var model = new SwishNet();
        using var flat = zeros(2, 3072);

        var error = Assert.Throws<ArgumentException>(() => model.call(flat));

        Assert.Contains("SwishNet", error.Message);
        Assert.Contains("[N, 3, 32, 32]", error.Message);
        Assert.Contains("[2, 3072]", error.Message);
    }

    [Fact]
    public void Single_sample_without_batch_dimension_gets_a_hint()
    {
        using var model = new SwishNet();
        using var sample = zeros(3, 32, 32);

        var error = Assert.Throws<ArgumentException>(() => model.call(sample));

        Assert.Contains("unsqueeze(0)", error.Message);
    }

    [Fact]
    public void Same_seed_gives_the_same_weights()
    {
        using var first = new SwishNet();
        using var second = new SwishNet();

        foreach (var (a, b) in first.parameters().Zip(second.parameters()))
        {
            Assert.True(a.eq(b).all().item<bool>(), "two models with the declared seed must start identical");
        }
    }

    [Fact]
    public void Save_then_Load_gives_identical_outputs_including_standardization_statistics()
    {
        using var scope = NewDisposeScope();
        var path = Path.Combine(Path.GetTempPath(), $"dslnet-{Guid.NewGuid():N}.weights");
        try
        {
            using var model = new SmallSeluNet();
            var features = randn(64, 2, 3) * 5 + 3;
            var standardize = (Standardization)model.named_modules().Single(m => m.name == "standardize").module;
            standardize.Adapt(features);
            using (no_grad())
            {
                foreach (var parameter in model.parameters())
                {
                    parameter.add_(randn_like(parameter) * 0.1);
                }
            }

            model.Save(path);
            using var loaded = SmallSeluNet.Load(path);
            model.eval();
            loaded.eval();

            Assert.True(model.call(features).eq(loaded.call(features)).all().item<bool>());
            Assert.False(Directory.GetFiles(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}*").Any(), "no temporary file may remain");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_from_a_missing_file_names_the_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.weights");

        var error = Assert.Throws<FileNotFoundException>(() => SwishNet.Load(path));

        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Load_of_another_architecture_is_a_clear_error()
    {
        var path = Path.Combine(Path.GetTempPath(), $"dslnet-{Guid.NewGuid():N}.weights");
        try
        {
            using var other = new SmallSeluNet();
            other.Save(path);

            var error = Assert.Throws<InvalidDataException>(() => SwishNet.Load(path));

            Assert.Contains("SwishNet", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Parametric_swish_beta_is_trained()
    {
        using var scope = NewDisposeScope();
        using var model = new ParametricSwishNet();
        var beta = model.parameters().Single(p => p.numel() == 1);
        var before = beta.item<float>();
        using var optimizer = optim.SGD(model.parameters(), 0.5);
        var x = randn(32, 4);
        var y = randint(0, 2, 32, dtype: ScalarType.Int64);

        for (var step = 0; step < 5; step++)
        {
            optimizer.zero_grad();
            nn.functional.cross_entropy(model.Logits(x), y).backward();
            optimizer.step();
        }

        Assert.Equal(1f, before);
        Assert.NotEqual(before, beta.item<float>());
    }

    [Fact]
    public void Standardize_layer_adapts_to_per_feature_mean_and_population_std()
    {
        using var scope = NewDisposeScope();
        using var model = new SmallSeluNet();
        var standardize = (Standardization)model.named_modules().Single(m => m.name == "standardize").module;
        var features = randn(500, 2, 3, dtype: ScalarType.Float64) * arange(1, 7, dtype: ScalarType.Float64).reshape(2, 3) + 10;

        standardize.Adapt(features.to(ScalarType.Float32));

        Assert.True(standardize.Mean.allclose(features.mean([0]).to(ScalarType.Float32), rtol: 1e-5, atol: 1e-4));
        Assert.True(standardize.Std.allclose(features.std([0], unbiased: false).to(ScalarType.Float32), rtol: 1e-5, atol: 1e-4));
        var standardized = standardize.call(features.to(ScalarType.Float32));
        Assert.True(standardized.mean([0]).abs().max().item<float>() < 1e-4);
    }
}

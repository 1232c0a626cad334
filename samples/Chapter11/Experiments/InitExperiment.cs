using DslNet.Samples.Chapter11.Models;
using DslNet.Samples.Chapter11.Reporting;
using DslNet.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DslNet.Samples.Chapter11.Experiments;

/// <summary>
/// Vanishing and exploding activations: one standardized random batch through 50 Dense(100) layers per
/// activation/initializer pairing, the spread of each layer's output, and the gradient of the first and last hidden layers.
/// </summary>
internal static class InitExperiment
{
    private const int HiddenLayers = 50;
    private static readonly int[] ShownLayers = [1, 10, 20, 30, 40, 50];

    private static readonly (string Label, Func<nn.Module<Tensor, Tensor>> Create)[] Networks =
    [
        ("sigmoid + Glorot", () => new SigmoidGlorotNet()),
        ("tanh + Glorot", () => new TanhGlorotNet()),
        ("tanh + He", () => new TanhHeNet()),
        ("ReLU + Glorot", () => new ReluGlorotNet()),
        ("ReLU + He", () => new ReluHeNet()),
        ("SELU + LeCun", () => new SeluLeCunNet()),
    ];

    public static void Run(TextWriter output)
    {
        Heading.Write(output,
            "init: vanishing and exploding signals, 50 × Dense(100) (exercises 3–4, section \"Glorot and He initialization\")",
            "Why do activation and initializer have to match, and what does SELU with LeCun initialization buy?",
            "Only matched pairs carry the signal through 50 layers. ReLU with Glorot halves the variance at every layer until " +
            "nothing is left (activations and gradients ~1e-9), ReLU with He keeps it; sigmoid's gradients vanish (the first " +
            "layer's is ~30 orders of magnitude below the last one's); tanh with Glorot fades slowly; SELU with LeCun on " +
            "standardized inputs keeps std ≈ 1 in every layer and gradients of one size at both ends (self-normalizing).");

        using var generator = new Generator(11);
        using var x = randn([1000, 100], generator: generator);
        using var labels = randint(10, [1000], generator: generator);
        output.WriteLine("Input: 1,000 samples of 100 standardized features (mean 0, std 1); random labels of 10 classes for the backward pass.");
        output.WriteLine("Columns: the std of each hidden layer's output (after its activation); then the std of the kernel gradients of");
        output.WriteLine("hidden layers 1 and 50 after one backward pass of the cross-entropy loss.");
        output.WriteLine();

        var table = new Table([
            "network", .. ShownLayers.Select(layer => $"layer {layer}"), "grad std layer 1", "grad std layer 50", "ratio 1/50",
        ]);
        foreach (var (label, create) in Networks)
        {
            using var model = create();
            var spreads = ActivationSpreads(model, x);
            var (first, last) = GradientSpreads(model, x, labels);
            table.Add([label, .. ShownLayers.Select(layer => Numbers.Short(spreads[layer])), Numbers.Short(first), Numbers.Short(last), Numbers.Short(first / last)]);
        }

        table.Write(output);
    }

    /// <summary>
    /// The std of each hidden layer's output, indexed by layer number (1 … 50), measured in the model's own forward pass:
    /// the output of hidden layer k is the input of the Dense layer after it (hidden k+1, or the output layer after the last).
    /// </summary>
    private static double[] ActivationSpreads(nn.Module<Tensor, Tensor> model, Tensor x)
    {
        var spreads = new double[HiddenLayers + 1];
        var removeHooks = new List<Action>();
        foreach (var (name, module) in model.named_children())
        {
            if (module is Linear linear && LayerFeeding(name) is int layer and > 0)
            {
                var hook = linear.register_forward_pre_hook((_, input) =>
                {
                    spreads[layer] = input.std().item<float>();
                    return input;
                });
                removeHooks.Add(hook.remove);
            }
        }

        try
        {
            model.eval();
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            model.call(x);
        }
        finally
        {
            removeHooks.ForEach(remove => remove());
        }

        return spreads;
    }

    /// <summary>Which hidden layer's output the Dense layer <paramref name="name"/> receives (0 = the model's input).</summary>
    private static int? LayerFeeding(string name) =>
        name == "output" ? HiddenLayers
        : name.StartsWith("hidden", StringComparison.Ordinal) && int.TryParse(name["hidden".Length..], out var index) ? index - 1
        : null;

    private static (double First, double Last) GradientSpreads(nn.Module<Tensor, Tensor> model, Tensor x, Tensor labels)
    {
        model.train();
        model.zero_grad();
        using (var scope = NewDisposeScope())
        {
            var logits = ((ITrainableModel)model).Logits(x);
            nn.functional.cross_entropy(logits, labels).backward();
        }

        return (Spread(Kernels.Of(model, "hidden1").grad), Spread(Kernels.Of(model, $"hidden{HiddenLayers}").grad));
    }

    private static double Spread(Tensor? gradient) =>
        gradient?.std().item<float>() ?? throw new InvalidOperationException("The backward pass left no gradient.");
}

using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DslNet.Samples.Chapter11.Experiments;

/// <summary>The kernels (weight matrices) of a generated model's Dense layers, found by the layers' field names.</summary>
internal static class Kernels
{
    /// <summary>The weight matrix of the Dense layer <paramref name="layer"/> (e.g. <c>hidden1</c>, <c>output</c>).</summary>
    public static Parameter Of(nn.Module model, string layer) =>
        model.named_parameters().Where(p => p.name == layer + ".weight").Select(p => p.parameter).SingleOrDefault()
        ?? throw new ArgumentException($"{model.GetName()} has no Dense layer named '{layer}'.", nameof(layer));

    /// <summary>Every Dense kernel of the model (biases excluded).</summary>
    public static IReadOnlyList<Parameter> All(nn.Module model) =>
        model.named_children().Where(child => child.module is Linear).Select(child => Of(model, child.name)).ToList();
}

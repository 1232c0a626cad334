using DslNet.Generators.Model;

namespace DslNet.Generators.Emitting;

/// <summary>How each activation is written in the generated forward pass.</summary>
internal static class Activations
{
    /// <summary>Whether the activation has parameters and so needs a module field.</summary>
    public static bool NeedsModule(Act act) => act is Act.PReLU or Act.ParametricSwish;

    /// <summary>The module constructor for an activation with parameters.</summary>
    public static string Constructor(Act act, long features) => act == Act.PReLU
        ? $"global::TorchSharp.torch.nn.PReLU({features}, init: 0.0)"
        : "new global::DslNet.Layers.ParametricSwish()";

    public static string ModuleType(Act act) => act == Act.PReLU ? "global::TorchSharp.Modules.PReLU" : "global::DslNet.Layers.ParametricSwish";

    /// <summary>Applies <paramref name="act"/> to the expression <paramref name="x"/>; <paramref name="module"/> names the field of a parametric activation.</summary>
    public static string Apply(Act act, double alpha, string x, string module) => act switch
    {
        Act.Linear => x,
        Act.ReLU => $"{Literals.Functional}.relu({x})",
        Act.LeakyReLU => $"{Literals.Functional}.leaky_relu({x}, {Literals.Double(double.IsNaN(alpha) ? KerasDefaults.LeakyReLUAlpha : alpha)})",
        Act.PReLU or Act.ParametricSwish => $"{module}.call({x})",
        Act.ELU => $"{Literals.Functional}.elu({x}, {Literals.Double(double.IsNaN(alpha) ? KerasDefaults.EluAlpha : alpha)})",
        Act.SELU => $"{Literals.Functional}.selu({x})",
        Act.GELU => $"{Literals.Functional}.gelu({x})",
        Act.Swish => $"{Literals.Functional}.silu({x})",
        Act.Mish => $"{Literals.Functional}.mish({x})",
        Act.Tanh => $"{Literals.Functional}.tanh({x})",
        Act.Sigmoid => $"{Literals.Functional}.sigmoid({x})",
        Act.Softplus => $"{Literals.Functional}.softplus({x})",
        _ => $"{Literals.Functional}.softmax({x}, -1)",
    };

    /// <summary>The Keras name shown in summaries.</summary>
    public static string KerasName(Act act) => act switch
    {
        Act.Linear => "linear",
        Act.ReLU => "relu",
        Act.LeakyReLU => "leaky_relu",
        Act.PReLU => "prelu",
        Act.ELU => "elu",
        Act.SELU => "selu",
        Act.GELU => "gelu",
        Act.Swish => "swish",
        Act.ParametricSwish => "parametric swish",
        Act.Mish => "mish",
        Act.Tanh => "tanh",
        Act.Sigmoid => "sigmoid",
        Act.Softplus => "softplus",
        _ => "softmax",
    };
}

using System;
using DslNet.Generators.Model;

namespace DslNet.Generators.Emitting;

/// <summary>
/// Everything the generator knows about one activation, in one place: its Keras name, the initializer <c>Init.Auto</c>
/// picks for it, the output it gives as a last layer, whether it has weights, how the forward pass applies it and how the
/// ONNX graph does. <see cref="Of"/> is the only switch over <see cref="Act"/>: an activation added to the enum and not
/// here fails the test that enumerates them (and throws, never defaults to another activation).
/// </summary>
internal sealed class ActivationForm
{
    private readonly Func<string, double, string, string> forward;
    private readonly Func<double, string, string> onnx;

    private ActivationForm(Act act, string kerasName, Init autoInit, OutputKind output, Func<string, double, string, string> forward, Func<double, string, string> onnx)
    {
        Act = act;
        KerasName = kerasName;
        AutoInit = autoInit;
        Output = output;
        this.forward = forward;
        this.onnx = onnx;
    }

    public Act Act { get; }

    /// <summary>The Keras name shown in summaries.</summary>
    public string KerasName { get; }

    /// <summary>What <c>Init.Auto</c> resolves to: He for the ReLU family and its smooth cousins, LeCun for SELU, Glorot otherwise.</summary>
    public Init AutoInit { get; }

    /// <summary>How the activation maps logits to outputs as the network's last one.</summary>
    public OutputKind Output { get; }

    /// <summary>Whether the activation has parameters and so needs a module field (PReLU, parametric Swish).</summary>
    public bool NeedsModule => Act is Act.PReLU or Act.ParametricSwish;

    public static ActivationForm Of(Act act) => act switch
    {
        Act.Linear => new(act, "linear", Init.Glorot, OutputKind.Linear, (x, _, _) => x, (_, _) => string.Empty),
        Act.ReLU => Functional(act, "relu", Init.He, "relu", ".Relu()"),
        Act.LeakyReLU => new(act, "leaky_relu", Init.He, OutputKind.Linear,
            (x, alpha, _) => $"{Literals.Functional}.leaky_relu({x}, {Literals.Double(Alpha(alpha, KerasDefaults.LeakyReLUAlpha))})",
            (alpha, _) => $".LeakyRelu({Literals.Double(Alpha(alpha, KerasDefaults.LeakyReLUAlpha))})"),
        Act.PReLU => new(act, "prelu", Init.He, OutputKind.Linear, (x, _, module) => $"{module}.call({x})", (_, module) => $".PRelu({module}.weight!)"),
        Act.ELU => new(act, "elu", Init.He, OutputKind.Linear,
            (x, alpha, _) => $"{Literals.Functional}.elu({x}, {Literals.Double(Alpha(alpha, KerasDefaults.EluAlpha))})",
            (alpha, _) => $".Elu({Literals.Double(Alpha(alpha, KerasDefaults.EluAlpha))})"),
        Act.SELU => Functional(act, "selu", Init.LeCun, "selu", ".Selu()"),
        Act.GELU => Functional(act, "gelu", Init.He, "gelu", ".Gelu()"),
        Act.Swish => Functional(act, "swish", Init.He, "silu", ".Swish()"),
        Act.ParametricSwish => new(act, "parametric swish", Init.He, OutputKind.Linear, (x, _, module) => $"{module}.call({x})", (_, module) => $".ParametricSwish({module}.Beta)"),
        Act.Mish => Functional(act, "mish", Init.He, "mish", ".Mish()"),
        Act.Tanh => Functional(act, "tanh", Init.Glorot, "tanh", ".Tanh()"),
        Act.Sigmoid => new(act, "sigmoid", Init.Glorot, OutputKind.Sigmoid, (x, _, _) => $"{Literals.Functional}.sigmoid({x})", (_, _) => ".Sigmoid()"),
        Act.Softplus => Functional(act, "softplus", Init.Glorot, "softplus", ".Softplus()"),
        Act.Softmax => new(act, "softmax", Init.Glorot, OutputKind.Softmax, (x, _, _) => $"{Literals.Functional}.softmax({x}, -1)", (_, _) => ".Softmax()"),
        _ => throw new ArgumentOutOfRangeException(nameof(act), act, "Unreachable: the attribute reader accepts only defined activations."),
    };

    /// <summary>The activation's weights over <paramref name="features"/> channels: PReLU one slope per channel, parametric Swish one β, the others none.</summary>
    public long Parameters(long features) => Act == Act.PReLU ? features : Act == Act.ParametricSwish ? 1 : 0;

    /// <summary>The module constructor for an activation with parameters over <paramref name="features"/> channels.</summary>
    public string Constructor(long features) => Act == Act.PReLU
        ? $"global::TorchSharp.torch.nn.PReLU({features}, init: 0.0)"
        : "new global::DslNet.Layers.ParametricSwish()";

    /// <summary>The module type of an activation with parameters.</summary>
    public string ModuleType => Act == Act.PReLU ? "global::TorchSharp.Modules.PReLU" : "global::DslNet.Layers.ParametricSwish";

    /// <summary>The activation applied to the expression <paramref name="x"/>; <paramref name="module"/> names the field of a parametric activation.</summary>
    public string Apply(string x, double alpha, string module) => forward(x, alpha, module);

    /// <summary>
    /// The activation applied to <paramref name="x"/>, an expression that yields a fresh tensor that nothing else keeps and
    /// whose own backward does not read it (a batch norm's output, a residual sum): ReLU then runs in place, saving a
    /// tensor of the activation's size and a pass of writes per step, as torchvision's <c>ReLU(inplace=True)</c> after
    /// batch norm. Bit for bit the same values and gradients: ReLU's backward reads its output either way, and batch norm
    /// and addition keep their inputs, not their outputs. The other activations as <see cref="Apply"/>.
    /// </summary>
    public string ApplyToFresh(string x, double alpha, string module) =>
        Act == Act.ReLU ? $"{Literals.Functional}.relu({x}, inplace: true)" : Apply(x, alpha, module);

    /// <summary>The activation applied to the Python expression <paramref name="x"/> in the PyTorch twin (<c>F</c> is <c>torch.nn.functional</c>).</summary>
    public string PyTorch(string x, double alpha, string module) => Act switch
    {
        Act.Linear => x,
        Act.ReLU => $"F.relu({x})",
        Act.LeakyReLU => $"F.leaky_relu({x}, {Literals.Double(Alpha(alpha, KerasDefaults.LeakyReLUAlpha))})",
        Act.PReLU or Act.ParametricSwish => $"self.{module}({x})",
        Act.ELU => $"F.elu({x}, {Literals.Double(Alpha(alpha, KerasDefaults.EluAlpha))})",
        Act.SELU => $"F.selu({x})",
        Act.GELU => $"F.gelu({x})",
        Act.Swish => $"F.silu({x})",
        Act.Mish => $"F.mish({x})",
        Act.Tanh => $"torch.tanh({x})",
        Act.Sigmoid => $"torch.sigmoid({x})",
        Act.Softplus => $"F.softplus({x})",
        Act.Softmax => $"F.softmax({x}, -1)",
        _ => throw new ArgumentOutOfRangeException(nameof(Act), Act, "Unreachable: the attribute reader accepts only defined activations."),
    };

    /// <summary>The twin's module of an activation with parameters (PReLU's slopes start at 0, as in <see cref="Constructor"/>).</summary>
    public string PyTorchConstructor(long features) => Act == Act.PReLU ? $"nn.PReLU({features}, init=0.0)" : "ParametricSwish()";

    /// <summary>The <c>OnnxGraphBuilder</c> call (empty for linear).</summary>
    public string OnnxCall(double alpha, string module) => onnx(alpha, module);

    private static ActivationForm Functional(Act act, string kerasName, Init autoInit, string function, string onnxCall) =>
        new(act, kerasName, autoInit, OutputKind.Linear, (x, _, _) => $"{Literals.Functional}.{function}({x})", (_, _) => onnxCall);

    private static double Alpha(double declared, double keras) => double.IsNaN(declared) ? keras : declared;
}

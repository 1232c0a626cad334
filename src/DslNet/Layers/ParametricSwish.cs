using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DslNet.Layers;

/// <summary>Swish with a learnable slope: <c>x · σ(β·x)</c>, one β per layer starting at 1 (β → 0 gives x/2, β → ∞ gives ReLU).</summary>
public sealed class ParametricSwish : nn.Module<Tensor, Tensor>
{
    private readonly Parameter beta;

    /// <summary>Creates the activation with β = 1.</summary>
    public ParametricSwish() : base(nameof(ParametricSwish))
    {
        beta = new Parameter(ones(1));
        register_parameter(nameof(beta), beta);
    }

    /// <summary>The learnable β.</summary>
    public Parameter Beta => beta;

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => input * (beta * input).sigmoid();
}

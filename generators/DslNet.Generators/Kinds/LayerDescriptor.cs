using System;
using System.Collections.Generic;
using System.Linq;
using DslNet.Generators.Helpers;
using DslNet.Generators.Model;
using DslNet.Generators.Parsing;

namespace DslNet.Generators.Kinds;

/// <summary>
/// One layer kind, whole: how its attribute is read (and its arguments checked, DSL002), its output shape (DSL006 when it
/// cannot take its input) and parameter counts, the module fields it owns, its forward statement, its Summary rows and its
/// ONNX calls. Every kind has exactly one descriptor (<see cref="LayerKinds.Of"/>); what every stage of the generator does
/// with a layer it asks the layer's descriptor, so a new kind is one file here (plus its runtime layer and attribute).
/// </summary>
internal abstract class LayerDescriptor
{
    public abstract LayerKind Kind { get; }

    /// <summary>The attribute's class name without <c>Attribute</c> (<c>Dense</c> for <c>[Dense]</c>).</summary>
    public virtual string AttributeName => Kind.ToString();

    /// <summary>The stem of the generated field names (<c>hidden</c>, <c>conv</c>, …).</summary>
    public abstract string FieldStem { get; }

    /// <summary>Whether the fields are numbered even when the model has one such layer (<c>conv1</c>; a lone <c>flatten</c> is not).</summary>
    public virtual bool AlwaysNumbered => true;

    /// <summary>Reads the attribute's arguments into <paramref name="template"/>, checking their ranges (DSL002); <paramref name="repeat"/> is how many such layers it declares.</summary>
    public virtual LayerSpec Read(AttributeReader reader, LayerSpec template, out int repeat)
    {
        repeat = 1;
        return template;
    }

    /// <summary>The <paramref name="repeat"/>-th (from 0) of the layers one attribute declares (a residual unit strides in the first only).</summary>
    public virtual LayerSpec Repeated(LayerSpec template, int repeat) => template;

    /// <summary>The layer placed after <paramref name="input"/>: its shapes and parameter counts, or null after DSL006.</summary>
    public virtual LayerSpec? Place(LayerSpec template, int[] input, List<DiagnosticInfo> diagnostics)
    {
        var output = OutputShape(template, input, diagnostics);
        return output is null
            ? null
            : template with
            {
                InputShape = input.ToEquatableArray(),
                OutputShape = output.ToEquatableArray(),
                TrainableParameters = TrainableParameters(template, input),
                NonTrainableParameters = NonTrainableParameters(template, input),
            };
    }

    /// <summary>The per-sample output shape for <paramref name="input"/>, or null after reporting DSL006.</summary>
    public virtual int[]? OutputShape(LayerSpec layer, int[] input, List<DiagnosticInfo> diagnostics) => input;

    /// <summary>Trainable parameters (Keras' count).</summary>
    public virtual long TrainableParameters(LayerSpec layer, int[] input) => 0;

    /// <summary>Non-trainable parameters (batch-norm moving statistics, standardization statistics).</summary>
    public virtual long NonTrainableParameters(LayerSpec layer, int[] input) => 0;

    /// <summary>Whether the layer has weights, so it can be frozen.</summary>
    public virtual bool HasWeights(LayerSpec layer) => false;

    /// <summary>The modules that freezing the layer freezes (and whose batch norms stay in inference mode while frozen), as the model's code names them.</summary>
    public virtual IEnumerable<string> FreezableModules(LayerSpec layer) => Components(layer).Select(component => component.Name);

    /// <summary>The dropout modules of the layer that Monte Carlo dropout keeps active, as the model's code names them.</summary>
    public virtual IEnumerable<string> DropoutModules(LayerSpec layer) => IsDropout ? new[] { layer.FieldName } : Enumerable.Empty<string>();

    /// <summary>Whether dropout: kept active by Monte Carlo dropout.</summary>
    public virtual bool IsDropout => false;

    /// <summary>The module fields the layer owns: (type, field name, expression that builds and initializes it), in construction order.</summary>
    public abstract IEnumerable<(string Type, string Name, string Constructor)> Components(LayerSpec layer);

    /// <summary>The layer applied to an input expression; null when it does nothing (a linear activation). <paramref name="skipActivation"/>: the output activation, applied by the runtime.</summary>
    public virtual Func<string, string>? Forward(LayerSpec layer, bool skipActivation) => x => $"{layer.FieldName}.call({x})";

    /// <summary>The rows the layer shows in the Summary: (name (type), output shape, parameters).</summary>
    public virtual IEnumerable<(string Name, string Shape, long Parameters)> SummaryRows(LayerSpec layer)
    {
        yield return ($"{layer.FieldName} ({Kind})", Shape(layer), layer.TrainableParameters + layer.NonTrainableParameters);
    }

    /// <summary>The rows <c>[Reuse(Layers = n)]</c> counts (the Summary's, Flatten aside).</summary>
    public virtual int ReuseRows(LayerSpec layer) => SummaryRows(layer).Count();

    /// <summary>The <c>OnnxGraphBuilder</c> calls of the layer in inference mode (empty when it is the identity there).</summary>
    public abstract string OnnxCalls(LayerSpec layer);

    /// <summary>
    /// The layer's modules in the PyTorch twin (<c>model.py</c> of <c>ExportPyTorch</c>): (field name, Python expression that
    /// builds it), named and ordered as <see cref="Components"/>, so that the twin's <c>state_dict</c> keys are the model's.
    /// Abstract, so a new kind cannot be added without its twin.
    /// </summary>
    public abstract IEnumerable<(string Name, string Constructor)> PyTorchModules(LayerSpec layer);

    /// <summary>The layer applied to a Python expression in the twin's forward (as <see cref="Forward"/>); null when it does nothing.</summary>
    public abstract Func<string, string>? PyTorchForward(LayerSpec layer, bool skipActivation);

    /// <summary>The Python call of the field <paramref name="field"/> on <paramref name="x"/>.</summary>
    protected static Func<string, string> PyTorchCall(string field) => x => $"self.{field}({x})";

    /// <summary>The layer in the user's words, for shape errors: <c>layer 4 (Conv2D 64, 3×3)</c>.</summary>
    public virtual string DescribeForShape(LayerSpec layer) => $"layer {layer.Position} ({Kind})";

    /// <summary>What the rules call the layer, after <c>layer n (</c>: <c>Dense 100 × 20, SELU</c>; <paramref name="times"/> is <c> × n</c> for a repeated attribute.</summary>
    public virtual string DescribeForRules(LayerSpec layer, string times) => Kind + times;

    /// <summary>Keras' output shape text: <c>(None, 32, 16, 16)</c>.</summary>
    protected static string Shape(LayerSpec layer) => "(None, " + string.Join(", ", layer.OutputShape) + ")";
}

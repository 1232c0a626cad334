using System.Runtime.InteropServices;
using DslNet.IO;
using DslNet.Onnx.Protos;
using Google.Protobuf;
using TorchSharp;
using static TorchSharp.torch;

namespace DslNet.Onnx;

/// <summary>
/// Builds the ONNX inference graph of a sequential network, one call per layer, and writes it as an ONNX model
/// (opset <see cref="Opset"/>): input <c>input</c> <c>[batch, …sample shape]</c> with a dynamic batch dimension, output
/// <c>output</c>, weights as initializers. Generated models call it from <c>ExportOnnx</c>; each method appends the
/// layer's operators to the current value and returns the builder.
/// </summary>
/// <remarks>
/// Weights are copied (as float32) when a method is called, so later training does not change a graph already built.
/// Every form matches the TorchSharp forward pass of the same layer in inference mode.
/// </remarks>
public sealed class OnnxGraphBuilder
{
    /// <summary>The operator set the graph uses (the default ONNX domain).</summary>
    public const int Opset = 17;

    /// <summary>The ONNX IR version that goes with opset 17.</summary>
    private const long IrVersion = 8;

    private readonly GraphProto graph = new();
    private readonly List<long> inputShape;
    private readonly HashSet<string> names = new(StringComparer.Ordinal);
    private long[] shape;
    private string current = "input";
    private bool finished;

    /// <summary>Starts a graph whose input is a batch of samples of shape <paramref name="sampleShape"/>.</summary>
    /// <param name="name">The graph's name (the model's name).</param>
    /// <param name="sampleShape">The shape of one sample, without the batch dimension.</param>
    public OnnxGraphBuilder(string name, ReadOnlySpan<long> sampleShape)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (sampleShape.Length == 0)
        {
            throw new ArgumentException("A sample has at least one dimension.", nameof(sampleShape));
        }

        foreach (var size in sampleShape)
        {
            if (size < 1)
            {
                throw new ArgumentException($"Every dimension of a sample is at least 1, got [{string.Join(", ", sampleShape.ToArray())}].", nameof(sampleShape));
            }
        }

        graph.Name = name;
        shape = sampleShape.ToArray();
        inputShape = [.. shape];
        names.Add(current);
    }

    /// <summary>The per-sample shape of the current value (after the layers added so far).</summary>
    public IReadOnlyList<long> SampleShape => shape;

    /// <summary>Keras' <c>Normalization</c>: <c>(x − mean) / std</c> with per-feature statistics of the sample's shape.</summary>
    public OnnxGraphBuilder Standardize(Tensor mean, Tensor std)
    {
        CheckShape(mean, shape, nameof(mean));
        CheckShape(std, shape, nameof(std));
        var meanName = Initializer("mean", mean);
        var stdName = Initializer("std", std);
        var centred = Node("Sub", [current, meanName]);
        current = Node("Div", [centred, stdName]);
        return this;
    }

    /// <summary>Flattens every dimension but the batch.</summary>
    public OnnxGraphBuilder Flatten()
    {
        current = Node("Flatten", [current], Int("axis", 1));
        shape = [shape.Aggregate(1L, (a, b) => a * b)];
        return this;
    }

    /// <summary>A fully connected layer as TorchSharp's <c>Linear</c> holds it: <c>x·Wᵀ + b</c>, W of shape [units, features].</summary>
    public OnnxGraphBuilder Dense(Tensor weight, Tensor? bias)
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (shape.Length != 1)
        {
            throw new InvalidOperationException($"Dense takes flat samples; the current shape is [{string.Join(", ", shape)}] (add Flatten first).");
        }

        CheckShape(weight, [weight.shape[0], shape[0]], nameof(weight));
        var units = weight.shape[0];
        List<string> inputs = [current, Initializer("weight", weight)];
        if (bias is not null)
        {
            CheckShape(bias, [units], nameof(bias));
            inputs.Add(Initializer("bias", bias));
        }

        current = Node("Gemm", inputs, Int("transB", 1));
        shape = [units];
        return this;
    }

    /// <summary>
    /// Batch normalization in inference mode with the moving statistics: <c>(x − mean) / √(var + ε) · γ + β</c> per
    /// channel (dimension 1 of the batch). Null <paramref name="scale"/>/<paramref name="bias"/> mean 1 and 0.
    /// </summary>
    public OnnxGraphBuilder BatchNorm(Tensor? scale, Tensor? bias, Tensor runningMean, Tensor runningVariance, double epsilon)
    {
        ArgumentNullException.ThrowIfNull(runningMean);
        ArgumentNullException.ThrowIfNull(runningVariance);
        if (!(epsilon > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "Epsilon must be positive.");
        }

        var channels = shape[0];
        CheckShape(runningMean, [channels], nameof(runningMean));
        CheckShape(runningVariance, [channels], nameof(runningVariance));
        using var ones = torch.ones(channels);
        using var zeros = torch.zeros(channels);
        if (scale is not null)
        {
            CheckShape(scale, [channels], nameof(scale));
        }

        if (bias is not null)
        {
            CheckShape(bias, [channels], nameof(bias));
        }

        var inputs = new[]
        {
            current, Initializer("scale", scale ?? ones), Initializer("shift", bias ?? zeros),
            Initializer("moving_mean", runningMean), Initializer("moving_variance", runningVariance),
        };
        current = Node("BatchNormalization", inputs, Float("epsilon", epsilon));
        return this;
    }

    /// <summary>A stateless activation (see <see cref="Act"/>); <paramref name="alpha"/> is LeakyReLU's slope or ELU's alpha (NaN = Keras' default).</summary>
    /// <exception cref="ArgumentException"><see cref="Act.PReLU"/> and <see cref="Act.ParametricSwish"/> have weights: use <see cref="PRelu"/> / <see cref="ParametricSwish"/>.</exception>
    public OnnxGraphBuilder Activation(Act act, double alpha = double.NaN) => act switch
    {
        Act.Linear => this,
        Act.ReLU => Relu(),
        Act.LeakyReLU => LeakyRelu(double.IsNaN(alpha) ? KerasDefaults.LeakyReLUAlpha : alpha),
        Act.ELU => Elu(double.IsNaN(alpha) ? KerasDefaults.EluAlpha : alpha),
        Act.SELU => Selu(),
        Act.GELU => Gelu(),
        Act.Swish => Swish(),
        Act.Mish => Mish(),
        Act.Tanh => Tanh(),
        Act.Sigmoid => Sigmoid(),
        Act.Softplus => Softplus(),
        Act.Softmax => Softmax(),
        _ => throw new ArgumentException($"{act} has learnable weights: call {(act == Act.PReLU ? nameof(PRelu) : nameof(ParametricSwish))} with them.", nameof(act)),
    };

    /// <summary>max(0, x).</summary>
    public OnnxGraphBuilder Relu() => Unary("Relu");

    /// <summary>x for x &gt; 0, else <paramref name="slope"/>·x.</summary>
    public OnnxGraphBuilder LeakyRelu(double slope) => Unary("LeakyRelu", Float("alpha", slope));

    /// <summary>x for x &gt; 0, else <paramref name="alpha"/>·(eˣ − 1).</summary>
    public OnnxGraphBuilder Elu(double alpha) => Unary("Elu", Float("alpha", alpha));

    /// <summary>Scaled ELU with the standard constants (ONNX's defaults are torch's).</summary>
    public OnnxGraphBuilder Selu() => Unary("Selu");

    /// <summary>Exact GELU, <c>x · ½ · (1 + erf(x / √2))</c>, built from <c>Erf</c> (opset 17 has no Gelu operator).</summary>
    public OnnxGraphBuilder Gelu()
    {
        var x = current;
        var scaled = Node("Div", [x, Scalar("sqrt2", MathF.Sqrt(2f))]);
        var erf = Node("Erf", [scaled]);
        var onePlus = Node("Add", [erf, Scalar("one", 1f)]);
        var half = Node("Mul", [x, Scalar("half", 0.5f)]);
        current = Node("Mul", [half, onePlus]);
        return this;
    }

    /// <summary>Swish (SiLU): x·σ(x).</summary>
    public OnnxGraphBuilder Swish()
    {
        var x = current;
        current = Node("Mul", [x, Node("Sigmoid", [x])]);
        return this;
    }

    /// <summary>Mish: x·tanh(softplus(x)).</summary>
    public OnnxGraphBuilder Mish()
    {
        var x = current;
        current = Node("Mul", [x, Node("Tanh", [Node("Softplus", [x])])]);
        return this;
    }

    /// <summary>tanh(x).</summary>
    public OnnxGraphBuilder Tanh() => Unary("Tanh");

    /// <summary>σ(x).</summary>
    public OnnxGraphBuilder Sigmoid() => Unary("Sigmoid");

    /// <summary>log(1 + eˣ).</summary>
    public OnnxGraphBuilder Softplus() => Unary("Softplus");

    /// <summary>Softmax over the last dimension.</summary>
    public OnnxGraphBuilder Softmax() => Unary("Softmax", Int("axis", -1));

    /// <summary>
    /// PReLU with one learned slope per channel (TorchSharp's <c>PReLU</c> weight, of length 1 or the channel count,
    /// dimension 1 of the batch).
    /// </summary>
    public OnnxGraphBuilder PRelu(Tensor slope)
    {
        ArgumentNullException.ThrowIfNull(slope);
        var count = slope.numel();
        if (slope.dim() != 1 || (count != 1 && count != shape[0]))
        {
            throw new ArgumentException($"A PReLU slope has 1 or {shape[0]} values (one per channel), got shape {Dataset.ShapeText(slope.shape)}.", nameof(slope));
        }

        // The slope broadcasts against [batch, C, …]: C and then a 1 for every further dimension.
        var broadcast = new long[shape.Length];
        Array.Fill(broadcast, 1L);
        broadcast[0] = count;
        using var reshaped = slope.reshape(broadcast);
        current = Node("PRelu", [current, Initializer("slope", reshaped)]);
        return this;
    }

    /// <summary>Swish with a learned β: x·σ(β·x) (<see cref="Layers.ParametricSwish"/>).</summary>
    public OnnxGraphBuilder ParametricSwish(Tensor beta)
    {
        ArgumentNullException.ThrowIfNull(beta);
        if (beta.numel() != 1)
        {
            throw new ArgumentException($"β is a single value, got shape {Dataset.ShapeText(beta.shape)}.", nameof(beta));
        }

        using var flat = beta.reshape(1);
        var x = current;
        var scaled = Node("Mul", [x, Initializer("beta", flat)]);
        current = Node("Mul", [x, Node("Sigmoid", [scaled])]);
        return this;
    }

    /// <summary>
    /// A 2-D convolution over <c>[batch, C, H, W]</c> with TorchSharp's weight layout <c>[filters, C, kH, kW]</c> and
    /// explicit zero padding per side, so that Keras' <c>same</c> padding (the odd pixel at the bottom and the right,
    /// see <see cref="SamePadding"/>) is exact.
    /// </summary>
    public OnnxGraphBuilder Conv2D(Tensor weight, Tensor? bias, int stride, int dilation, int padTop, int padLeft, int padBottom, int padRight)
    {
        ArgumentNullException.ThrowIfNull(weight);
        RequireFeatureMap("Conv2D");
        if (weight.dim() != 4 || weight.shape[1] != shape[0])
        {
            throw new ArgumentException($"A Conv2D kernel has shape [filters, {shape[0]}, kH, kW], got {Dataset.ShapeText(weight.shape)}.", nameof(weight));
        }

        CheckWindow(stride, dilation, padTop, padLeft, padBottom, padRight);
        var filters = weight.shape[0];
        List<string> inputs = [current, Initializer("kernel", weight)];
        if (bias is not null)
        {
            CheckShape(bias, [filters], nameof(bias));
            inputs.Add(Initializer("bias", bias));
        }

        var (kh, kw) = (weight.shape[2], weight.shape[3]);
        current = Node("Conv", inputs,
            Ints("kernel_shape", kh, kw), Ints("strides", stride, stride), Ints("dilations", dilation, dilation),
            Ints("pads", padTop, padLeft, padBottom, padRight));
        shape = [filters, WindowOutput(shape[1], kh, stride, dilation, padTop + padBottom), WindowOutput(shape[2], kw, stride, dilation, padLeft + padRight)];
        return this;
    }

    /// <summary>Max pooling over <paramref name="size"/>×<paramref name="size"/> windows (padding never wins the maximum).</summary>
    public OnnxGraphBuilder MaxPool(int size, int stride, int padTop = 0, int padLeft = 0, int padBottom = 0, int padRight = 0) =>
        Pool("MaxPool", size, stride, padTop, padLeft, padBottom, padRight);

    /// <summary>Average pooling over <paramref name="size"/>×<paramref name="size"/> windows; padded cells are not counted (as Keras).</summary>
    public OnnxGraphBuilder AvgPool(int size, int stride, int padTop = 0, int padLeft = 0, int padBottom = 0, int padRight = 0) =>
        Pool("AveragePool", size, stride, padTop, padLeft, padBottom, padRight, Int("count_include_pad", 0));

    /// <summary>The mean over H and W: <c>[batch, C, H, W]</c> → <c>[batch, C]</c>.</summary>
    public OnnxGraphBuilder GlobalAvgPool()
    {
        RequireFeatureMap("GlobalAvgPool");
        var pooled = Node("GlobalAveragePool", [current]);
        current = Node("Flatten", [pooled], Int("axis", 1));
        shape = [shape[0]];
        return this;
    }

    /// <summary>
    /// A residual unit: <paramref name="main"/> adds the main path's layers, <paramref name="shortcut"/> (null: the identity)
    /// the shortcut's, both from the current value; the unit's value is their sum (<c>Add</c>). An activation after the sum
    /// is the next call.
    /// </summary>
    /// <exception cref="InvalidOperationException">The two paths end in different shapes.</exception>
    public OnnxGraphBuilder Residual(Func<OnnxGraphBuilder, OnnxGraphBuilder> main, Func<OnnxGraphBuilder, OnnxGraphBuilder>? shortcut = null)
    {
        ArgumentNullException.ThrowIfNull(main);
        var (input, inputShape) = (current, shape);
        main(this);
        var (mainOutput, mainShape) = (current, shape);
        (current, shape) = (input, inputShape);
        shortcut?.Invoke(this);
        if (!shape.SequenceEqual(mainShape))
        {
            throw new InvalidOperationException(
                $"A residual unit's main path ends in [{string.Join(", ", mainShape)}] and its shortcut in [{string.Join(", ", shape)}]: they cannot be added.");
        }

        current = Node("Add", [mainOutput, current]);
        return this;
    }

    /// <summary>
    /// Bilinear resizing of <c>[batch, C, H, W]</c> to <paramref name="height"/> × <paramref name="width"/> (<see cref="Layers.Resizing"/>):
    /// ONNX <c>Resize</c>, linear, <c>half_pixel</c> coordinates, the output size given as the input's batch and channels
    /// followed by <paramref name="height"/> and <paramref name="width"/> (so the batch stays dynamic).
    /// </summary>
    public OnnxGraphBuilder Resize(int height, int width)
    {
        RequireFeatureMap("Resize");
        if (height < 1 || width < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(height), $"Resize needs a height and a width of at least 1; got {height} × {width}.");
        }

        var batchAndChannels = Node("Slice", [Node("Shape", [current]), Int64s("starts", 0), Int64s("ends", 2)]);
        var sizes = Node("Concat", [batchAndChannels, Int64s("size", height, width)], Int("axis", 0));
        current = Node("Resize", [current, string.Empty, string.Empty, sizes],
            Text("mode", "linear"), Text("coordinate_transformation_mode", "half_pixel"));
        shape = [shape[0], height, width];
        return this;
    }

    /// <summary>
    /// Keras/TensorFlow <c>same</c> padding of one spatial dimension: the output has ⌈size / stride⌉ positions and the
    /// padding they need is split with the odd cell after (bottom or right).
    /// </summary>
    public static (int Before, int After) SamePadding(int size, int kernel, int stride, int dilation = 1)
    {
        var (before, after) = Layers.ConvolutionShapes.SamePadding(size, kernel, stride, dilation);
        return ((int)before, (int)after);
    }

    /// <summary>The ONNX model's bytes (the graph ends at the current value, named <c>output</c>).</summary>
    public byte[] ToBytes() => Model().ToByteArray();

    /// <summary>Writes the ONNX model to <paramref name="path"/> atomically: a reader never sees half a file.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = ToBytes();
        AtomicFile.Write(path, temporary => File.WriteAllBytes(temporary, bytes));
    }

    private ModelProto Model()
    {
        if (!finished)
        {
            graph.Node.Add(new NodeProto { OpType = "Identity", Input = { current }, Output = { "output" }, Name = "output" });
            graph.Input.Add(ValueInfo("input", inputShape));
            graph.Output.Add(ValueInfo("output", shape));
            finished = true;
        }

        return new ModelProto
        {
            IrVersion = IrVersion,
            OpsetImport = { new OperatorSetIdProto { Domain = string.Empty, Version = Opset } },
            ProducerName = "DslNet",
            ProducerVersion = typeof(OnnxGraphBuilder).Assembly.GetName().Version?.ToString(3) ?? string.Empty,
            Graph = graph,
        };
    }

    private static ValueInfoProto ValueInfo(string name, IReadOnlyList<long> sample)
    {
        var dims = new TensorShapeProto();
        dims.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        foreach (var size in sample)
        {
            dims.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = size });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = dims } },
        };
    }

    private OnnxGraphBuilder Pool(string op, int size, int stride, int padTop, int padLeft, int padBottom, int padRight, params AttributeProto[] extra)
    {
        RequireFeatureMap(op);
        if (size < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "A pooling window is at least 1.");
        }

        CheckWindow(stride, 1, padTop, padLeft, padBottom, padRight);
        AttributeProto[] attributes = [Ints("kernel_shape", size, size), Ints("strides", stride, stride), Ints("pads", padTop, padLeft, padBottom, padRight), .. extra];
        current = Node(op, [current], attributes);
        shape = [shape[0], WindowOutput(shape[1], size, stride, 1, padTop + padBottom), WindowOutput(shape[2], size, stride, 1, padLeft + padRight)];
        return this;
    }

    private static long WindowOutput(long size, long kernel, int stride, int dilation, int padding)
    {
        var outputs = Layers.ConvolutionShapes.PaddedOutputSize(size, kernel, stride, dilation, padding);
        if (outputs < 1)
        {
            throw new InvalidOperationException($"A window of {((kernel - 1) * dilation) + 1} does not fit in {size} cells padded by {padding}.");
        }

        return outputs;
    }

    private static void CheckWindow(int stride, int dilation, params int[] pads)
    {
        if (stride < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(stride), stride, "The stride is at least 1.");
        }

        if (dilation < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(dilation), dilation, "The dilation is at least 1.");
        }

        if (pads.Any(pad => pad < 0))
        {
            throw new ArgumentOutOfRangeException(nameof(pads), "Padding is never negative.");
        }
    }

    private void RequireFeatureMap(string layer)
    {
        if (shape.Length != 3)
        {
            throw new InvalidOperationException($"{layer} takes feature maps (C, H, W); the current shape is [{string.Join(", ", shape)}].");
        }
    }

    private static void CheckShape(Tensor tensor, long[] expected, string parameter)
    {
        ArgumentNullException.ThrowIfNull(tensor, parameter);
        if (!tensor.shape.SequenceEqual(expected))
        {
            throw new ArgumentException($"Expected shape [{string.Join(", ", expected)}], got {Dataset.ShapeText(tensor.shape)}.", parameter);
        }
    }

    private OnnxGraphBuilder Unary(string op, params AttributeProto[] attributes)
    {
        current = Node(op, [current], attributes);
        return this;
    }

    /// <summary>Appends a node and returns the name of its (single) output.</summary>
    private string Node(string op, IEnumerable<string> inputs, params AttributeProto[] attributes)
    {
        var output = Unique(op.ToLowerInvariant());
        var node = new NodeProto { OpType = op, Name = output, Output = { output } };
        node.Input.AddRange(inputs);
        node.Attribute.AddRange(attributes);
        graph.Node.Add(node);
        return output;
    }

    /// <summary>Adds <paramref name="tensor"/> (copied as float32) as an initializer and returns its name.</summary>
    private string Initializer(string name, Tensor tensor)
    {
        using var values = tensor.detach().to(ScalarType.Float32, torch.CPU).contiguous();
        var floats = values.data<float>().ToArray();
        var bytes = new byte[floats.Length * sizeof(float)];
        MemoryMarshal.AsBytes(floats.AsSpan()).CopyTo(bytes);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("ONNX raw tensor data is little-endian; this machine is not.");
        }

        var unique = Unique(name);
        var proto = new TensorProto { Name = unique, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(bytes) };
        proto.Dims.AddRange(values.shape);
        graph.Initializer.Add(proto);
        return unique;
    }

    private string Scalar(string name, float value)
    {
        var unique = Unique(name);
        var proto = new TensorProto { Name = unique, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(BitConverter.GetBytes(value)) };
        graph.Initializer.Add(proto);
        return unique;
    }

    private string Int64s(string name, params long[] values)
    {
        var unique = Unique(name);
        var proto = new TensorProto { Name = unique, DataType = (int)TensorProto.Types.DataType.Int64 };
        proto.Dims.Add(values.Length);
        proto.Int64Data.AddRange(values);
        graph.Initializer.Add(proto);
        return unique;
    }

    private string Unique(string stem)
    {
        if (finished)
        {
            throw new InvalidOperationException("The graph has been written; start a new builder to add layers.");
        }

        for (var i = 1; ; i++)
        {
            var name = $"{stem}_{i}";
            if (names.Add(name))
            {
                return name;
            }
        }
    }

    private static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static AttributeProto Text(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    private static AttributeProto Float(string name, double value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = (float)value };

    private static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }
}

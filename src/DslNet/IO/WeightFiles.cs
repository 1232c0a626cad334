using System.Buffers.Binary;
using System.Collections;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using DslNet.Onnx.Protos;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace DslNet.IO;

/// <summary>One tensor read from a weight file, under the name the file gives it, in the layout DslNet's layers hold.</summary>
internal sealed record FileTensor(string Name, Tensor Value);

/// <summary>
/// One layer's tensors in a weight file: a kernel (<c>weight</c>, optional <c>bias</c>) or a batch norm (optional scale
/// <c>weight</c>, <c>bias</c>, <c>running_mean</c>, <c>running_var</c>), keyed by those roles.
/// </summary>
internal sealed class FileLayer(string name, bool isNorm)
{
    public string Name { get; } = name;

    public bool IsNorm { get; } = isNorm;

    public Dictionary<string, FileTensor> Tensors { get; } = new(StringComparer.Ordinal);
}

/// <summary>A kernel layer with the batch norm that takes its output (either may be absent): what import matches as one.</summary>
internal sealed record FileItem(FileLayer? Kernel, FileLayer? Norm);

/// <summary>
/// Reads the tensors of <c>.onnx</c>, <c>.pt</c>/<c>.pth</c> (<c>torch.save</c> of a <c>state_dict</c>, through
/// TorchSharp.PyBridge) and <c>.safetensors</c> files in the order their layers run, and writes <c>.pt</c> and
/// <c>.safetensors</c> files. Every tensor is created in the caller's dispose scope.
/// </summary>
internal static class WeightFiles
{
    internal static readonly string[] NormRoles = ["weight", "bias", "running_mean", "running_var"];

    /// <summary>What a file of <paramref name="path"/>'s kind is called in messages, or null when the extension is not one DslNet reads.</summary>
    public static string? Kind(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".onnx" => "ONNX model",
        ".pt" or ".pth" => "PyTorch state_dict (torch.save)",
        ".safetensors" => "safetensors file",
        _ => null,
    };

    /// <summary>The file's layers in the order they run (ONNX: graph order; state dicts: the order of their entries).</summary>
    public static List<FileItem> ReadItems(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".onnx" => ReadOnnx(path),
        _ => Pair(GroupByModule(ReadStateDict(path))),
    };

    /// <summary>A state dict's entries in the file's order: <c>.pt</c>/<c>.pth</c> or <c>.safetensors</c>.</summary>
    public static List<FileTensor> ReadStateDict(string path) =>
        Path.GetExtension(path).Equals(".safetensors", StringComparison.OrdinalIgnoreCase) ? ReadSafetensors(path) : ReadTorch(path);

    /// <summary>Writes <paramref name="entries"/> (in order) as <c>.pt</c> (<c>torch.load</c> reads it) or <c>.safetensors</c>, atomically.</summary>
    public static void Write(string path, IReadOnlyList<KeyValuePair<string, Tensor>> entries)
    {
        var safetensors = Path.GetExtension(path).Equals(".safetensors", StringComparison.OrdinalIgnoreCase);
        AtomicFile.Write(path, temporary =>
        {
            using var stream = File.Create(temporary);
            if (safetensors)
            {
                WriteSafetensors(stream, entries);
            }
            else
            {
                // A Dictionary enumerates in insertion order (nothing is removed), so the pickled dict keeps PyTorch's layout.
                var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
                foreach (var (key, value) in entries)
                {
                    state.Add(key, value);
                }

                PyTorchPickler.PickleStateDict(stream, state, leaveOpen: true);
            }
        });
    }

    private static List<FileTensor> ReadTorch(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length < 4 || bytes[0] != 0x50 || bytes[1] != 0x4b)
        {
            throw new InvalidDataException("it is not a torch.save file (no zip archive; torch.save has written zip archives since PyTorch 1.6)");
        }

        Hashtable table;
        byte[] pickle;
        try
        {
            using (var archive = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read))
            {
                var entry = archive.Entries.FirstOrDefault(e => e.Name == "data.pkl") ?? throw new InvalidDataException("it holds no data.pkl: not a torch.save file");
                using var data = entry.Open();
                using var copy = new MemoryStream();
                data.CopyTo(copy);
                pickle = copy.ToArray();
            }

            table = PyTorchUnpickler.UnpickleStateDict(new MemoryStream(bytes), leaveOpen: false);
        }
        catch (Exception error) when (error is not InvalidDataException)
        {
            throw new InvalidDataException($"it is not a state_dict saved by torch.save ({error.Message})", error);
        }

        // PyBridge returns a Hashtable (no order). The order is the one the keys are pickled in: find each key's string in data.pkl.
        var entries = new List<(long Position, FileTensor Tensor)>();
        foreach (DictionaryEntry item in table)
        {
            if (item.Key is string key && item.Value is Tensor tensor)
            {
                entries.Add((PicklePosition(pickle, key), new FileTensor(key, tensor)));
            }
        }

        return entries.OrderBy(e => e.Position).ThenBy(e => e.Tensor.Name, StringComparer.Ordinal).Select(e => e.Tensor).ToList();
    }

    /// <summary>Where <paramref name="key"/> is pickled (BINUNICODE or SHORT_BINUNICODE with its length), or the end when not found.</summary>
    private static long PicklePosition(byte[] pickle, string key)
    {
        var text = Encoding.UTF8.GetBytes(key);
        var binUnicode = new byte[5 + text.Length];
        binUnicode[0] = (byte)'X';
        BinaryPrimitives.WriteUInt32LittleEndian(binUnicode.AsSpan(1), (uint)text.Length);
        text.CopyTo(binUnicode, 5);
        var position = pickle.AsSpan().IndexOf(binUnicode);
        if (position < 0 && text.Length < 256)
        {
            var shortForm = new byte[2 + text.Length];
            shortForm[0] = 0x8c;
            shortForm[1] = (byte)text.Length;
            text.CopyTo(shortForm, 2);
            position = pickle.AsSpan().IndexOf(shortForm);
        }

        return position < 0 ? long.MaxValue : position;
    }

    private static List<FileTensor> ReadSafetensors(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length < 8)
        {
            throw new InvalidDataException("it is too short to be a safetensors file");
        }

        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > (ulong)(bytes.Length - 8) || headerLength < 2)
        {
            throw new InvalidDataException("its header length does not fit the file: not a safetensors file");
        }

        var tensors = new List<(long Offset, FileTensor Tensor)>();
        var dataStart = 8 + (long)headerLength;
        try
        {
            using var header = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
            foreach (var property in header.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                {
                    continue;
                }

                var dtype = property.Value.GetProperty("dtype").GetString();
                var shape = property.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
                var offsets = property.Value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
                var (scalar, size) = dtype switch
                {
                    "F32" => (ScalarType.Float32, 4),
                    "F64" => (ScalarType.Float64, 8),
                    "F16" => (ScalarType.Float16, 2),
                    "BF16" => (ScalarType.BFloat16, 2),
                    "I64" => (ScalarType.Int64, 8),
                    "I32" => (ScalarType.Int32, 4),
                    _ => throw new InvalidDataException($"its tensor '{property.Name}' has dtype {dtype}, which DslNet does not read"),
                };
                var count = shape.Aggregate(1L, (a, b) => a * b);
                if (offsets.Length != 2 || offsets[1] - offsets[0] != count * size || dataStart + offsets[1] > bytes.Length)
                {
                    throw new InvalidDataException($"its tensor '{property.Name}' does not fit the file (truncated?)");
                }

                var tensor = empty(shape, scalar);
                tensor.bytes = bytes.AsSpan((int)(dataStart + offsets[0]), (int)(count * size));
                tensors.Add((offsets[0], new FileTensor(property.Name, tensor)));
            }
        }
        catch (Exception error) when (error is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"its header is not a safetensors header ({error.Message})", error);
        }

        return tensors.OrderBy(t => t.Offset).Select(t => t.Tensor).ToList();
    }

    private static void WriteSafetensors(Stream stream, IReadOnlyList<KeyValuePair<string, Tensor>> entries)
    {
        using var json = new MemoryStream();
        var blobs = new List<byte[]>();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            long offset = 0;
            foreach (var (key, value) in entries)
            {
                var dtype = value.dtype switch
                {
                    ScalarType.Float32 => "F32",
                    ScalarType.Float64 => "F64",
                    ScalarType.Int64 => "I64",
                    ScalarType.Int32 => "I32",
                    _ => throw new NotSupportedException($"'{key}' has dtype {value.dtype}, which DslNet does not write to safetensors."),
                };
                var blob = value.contiguous().bytes.ToArray();
                writer.WriteStartObject(key);
                writer.WriteString("dtype", dtype);
                writer.WriteStartArray("shape");
                foreach (var dimension in value.shape)
                {
                    writer.WriteNumberValue(dimension);
                }

                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                writer.WriteNumberValue(offset + blob.Length);
                writer.WriteEndArray();
                writer.WriteEndObject();
                offset += blob.Length;
                blobs.Add(blob);
            }

            writer.WriteEndObject();
        }

        // The header is padded with spaces to a multiple of 8 bytes, as the safetensors writers do, so the data stays aligned.
        var header = json.ToArray().ToList();
        while (header.Count % 8 != 0)
        {
            header.Add((byte)' ');
        }

        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Count);
        stream.Write(length);
        stream.Write(header.ToArray());
        foreach (var blob in blobs)
        {
            stream.Write(blob);
        }
    }

    /// <summary>Groups state-dict entries by module (the key up to its last dot), keeping kernels and batch norms (other entries are not weights).</summary>
    private static List<FileLayer> GroupByModule(List<FileTensor> entries)
    {
        var layers = new List<FileLayer>();
        var byModule = new Dictionary<string, List<FileTensor>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var entry in entries)
        {
            var dot = entry.Name.LastIndexOf('.');
            var module = dot < 0 ? string.Empty : entry.Name[..dot];
            if (!byModule.TryGetValue(module, out var list))
            {
                byModule[module] = list = [];
                order.Add(module);
            }

            list.Add(entry);
        }

        foreach (var module in order)
        {
            var roles = byModule[module].ToDictionary(e => e.Name[(e.Name.LastIndexOf('.') + 1)..], StringComparer.Ordinal);
            var isNorm = roles.ContainsKey("running_mean");
            if (!isNorm && !roles.ContainsKey("weight"))
            {
                continue;
            }

            var layer = new FileLayer(module, isNorm);
            foreach (var role in isNorm ? NormRoles : ["weight", "bias"])
            {
                if (roles.TryGetValue(role, out var tensor))
                {
                    layer.Tensors[role] = tensor;
                }
            }

            layers.Add(layer);
        }

        return layers;
    }

    /// <summary>Pairs each batch norm with the kernel layer right before it when it normalizes that layer's outputs (torchvision's <c>convN</c>/<c>bnN</c>, <c>downsample.0</c>/<c>downsample.1</c>).</summary>
    private static List<FileItem> Pair(List<FileLayer> layers)
    {
        var items = new List<FileItem>();
        for (var i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            if (!layer.IsNorm && i + 1 < layers.Count && layers[i + 1].IsNorm && Normalizes(layers[i + 1], layer))
            {
                items.Add(new FileItem(layer, layers[i + 1]));
                i++;
            }
            else
            {
                items.Add(layer.IsNorm ? new FileItem(null, layer) : new FileItem(layer, null));
            }
        }

        return items;
    }

    /// <summary>Whether <paramref name="norm"/> has as many features as <paramref name="kernel"/> has outputs.</summary>
    internal static bool Normalizes(FileLayer norm, FileLayer kernel) =>
        kernel.Tensors.TryGetValue("weight", out var weight) && norm.Tensors.TryGetValue("running_mean", out var mean) && weight.Value.shape[0] == mean.Value.shape[0];

    private static List<FileItem> ReadOnnx(string path)
    {
        ModelProto model;
        try
        {
            using var stream = File.OpenRead(path);
            model = ModelProto.Parser.ParseFrom(stream);
        }
        catch (Exception error) when (error is Google.Protobuf.InvalidProtocolBufferException or InvalidOperationException)
        {
            throw new InvalidDataException($"it is not an ONNX model ({error.Message})", error);
        }

        if (model.Graph is null || model.Graph.Node.Count == 0)
        {
            throw new InvalidDataException("it is not an ONNX model (no graph)");
        }

        var initializers = new Dictionary<string, TensorProto>(StringComparer.Ordinal);
        foreach (var initializer in model.Graph.Initializer)
        {
            initializers[initializer.Name] = initializer;
        }

        var consumers = new Dictionary<string, List<NodeProto>>(StringComparer.Ordinal);
        foreach (var node in model.Graph.Node)
        {
            foreach (var input in node.Input)
            {
                if (!consumers.TryGetValue(input, out var list))
                {
                    consumers[input] = list = [];
                }

                list.Add(node);
            }
        }

        var items = new List<FileItem>();
        var byOutput = new Dictionary<string, int>(StringComparer.Ordinal); // a kernel node's output → its item
        var used = new HashSet<NodeProto>();
        foreach (var node in model.Graph.Node)
        {
            if (used.Contains(node))
            {
                continue;
            }

            switch (node.OpType)
            {
                case "Conv" when node.Input.Count > 1 && initializers.ContainsKey(node.Input[1]):
                    {
                        var layer = new FileLayer(node.Name.Length > 0 ? node.Name : node.Input[1], isNorm: false);
                        layer.Tensors["weight"] = OnnxTensor(initializers[node.Input[1]]);
                        if (node.Input.Count > 2 && initializers.TryGetValue(node.Input[2], out var bias))
                        {
                            layer.Tensors["bias"] = OnnxTensor(bias);
                        }

                        byOutput[node.Output[0]] = items.Count;
                        items.Add(new FileItem(layer, null));
                        break;
                    }

                case "Gemm" when node.Input.Count > 1 && initializers.ContainsKey(node.Input[1]):
                    {
                        var transposed = node.Attribute.FirstOrDefault(a => a.Name == "transB")?.I == 1;
                        var layer = new FileLayer(node.Name.Length > 0 ? node.Name : node.Input[1], isNorm: false);
                        var weight = OnnxTensor(initializers[node.Input[1]]);
                        layer.Tensors["weight"] = transposed ? weight : weight with { Value = weight.Value.t().contiguous() };
                        if (node.Input.Count > 2 && initializers.TryGetValue(node.Input[2], out var bias))
                        {
                            layer.Tensors["bias"] = OnnxTensor(bias);
                        }

                        byOutput[node.Output[0]] = items.Count;
                        items.Add(new FileItem(layer, null));
                        break;
                    }

                case "MatMul" when node.Input.Count > 1 && initializers.ContainsKey(node.Input[1]):
                    {
                        // MatMul's weight is [in, out]; a following Add of an initializer is its bias.
                        var layer = new FileLayer(node.Name.Length > 0 ? node.Name : node.Input[1], isNorm: false);
                        var weight = OnnxTensor(initializers[node.Input[1]]);
                        layer.Tensors["weight"] = weight with { Value = weight.Value.t().contiguous() };
                        var output = node.Output[0];
                        if (consumers.TryGetValue(output, out var next) && next.Count == 1 && next[0].OpType == "Add")
                        {
                            var add = next[0];
                            var other = add.Input.FirstOrDefault(i => i != output && initializers.ContainsKey(i));
                            if (other is not null)
                            {
                                layer.Tensors["bias"] = OnnxTensor(initializers[other]);
                                used.Add(add);
                                output = add.Output[0];
                            }
                        }

                        byOutput[output] = items.Count;
                        items.Add(new FileItem(layer, null));
                        break;
                    }

                case "BatchNormalization" when node.Input.Count >= 5 && node.Input.Skip(1).Take(4).All(initializers.ContainsKey):
                    {
                        var layer = new FileLayer(node.Name.Length > 0 ? node.Name : node.Input[1], isNorm: true);
                        for (var role = 0; role < 4; role++)
                        {
                            layer.Tensors[NormRoles[role]] = OnnxTensor(initializers[node.Input[role + 1]]);
                        }

                        // Pair it with the kernel whose output it takes (the graph's edge), when that kernel has no norm yet.
                        if (byOutput.TryGetValue(node.Input[0], out var index) && items[index].Norm is null && Normalizes(layer, items[index].Kernel!))
                        {
                            items[index] = items[index] with { Norm = layer };
                        }
                        else
                        {
                            items.Add(new FileItem(null, layer));
                        }

                        break;
                    }
            }
        }

        return items;
    }

    private static FileTensor OnnxTensor(TensorProto proto)
    {
        var shape = proto.Dims.ToArray();
        Tensor value;
        if (proto.DataType == (int)TensorProto.Types.DataType.Float)
        {
            var data = proto.RawData.Length > 0 ? MemoryMarshal.Cast<byte, float>(proto.RawData.Span).ToArray() : proto.FloatData.ToArray();
            value = tensor(data, shape);
        }
        else if (proto.DataType == (int)TensorProto.Types.DataType.Double && proto.RawData.Length > 0)
        {
            value = tensor(MemoryMarshal.Cast<byte, double>(proto.RawData.Span).ToArray(), shape).to_type(ScalarType.Float32);
        }
        else
        {
            throw new InvalidDataException($"its initializer '{proto.Name}' has ONNX data type {proto.DataType}; DslNet reads float and double weights");
        }

        return new FileTensor(proto.Name, value);
    }
}

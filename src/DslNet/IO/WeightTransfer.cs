using TorchSharp;
using static TorchSharp.torch;

namespace DslNet.IO;

/// <summary>
/// <see cref="DslModule.ImportWeights"/> and <see cref="DslModule.ExportWeights"/>: the model's layers are the rows of
/// its compile-time summary (each row names the field, <c>unit.field</c> inside a residual unit), their tensors the
/// model's state entries under those names. A file's layers are matched to them in order and by shape; every check
/// runs before the first tensor is copied, so an error leaves the model as it was.
/// </summary>
internal static class WeightTransfer
{
    private sealed record Row(string Name, string Type)
    {
        public string? Unit => Name.Contains('.', StringComparison.Ordinal) ? Name[..Name.IndexOf('.', StringComparison.Ordinal)] : null;
    }

    private sealed record ModelLayer(string Name, bool IsNorm, Dictionary<string, Tensor> Tensors);

    private sealed record ModelItem(ModelLayer? Kernel, ModelLayer? Norm, string? Unit)
    {
        public string Name => (Kernel ?? Norm)!.Name;
    }

    public static void Import(nn.Module model, string modelName, string summary, string path, int? layers)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        var prefix = $"{modelName}.ImportWeights('{path}')";
        var kind = WeightFiles.Kind(full)
            ?? throw new ArgumentException($"{prefix}: DslNet reads .onnx, .pt / .pth (torch.save of a state_dict) and .safetensors files, not '{Path.GetExtension(full)}'.", nameof(path));
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"{prefix}: no file at '{full}'.", full);
        }

        var rows = Rows(summary);
        var counted = rows.Where(r => r.Type != "Flatten").ToList();
        var included = counted.Count;
        if (layers is { } n)
        {
            if (n < 1 || n > counted.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(layers), n, $"{prefix}: layers counts rows of {modelName}'s Summary (Flatten rows aside): 1 to {counted.Count}.");
            }

            if (n < counted.Count && counted[n - 1].Unit is { } unit && counted[n].Unit == unit)
            {
                throw new ArgumentException($"{prefix}: layers = {n} ends inside the residual unit '{unit}' (row '{counted[n - 1].Name}'); import whole units.", nameof(layers));
            }

            included = n;
        }

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var state = model.state_dict();
        var items = ModelItems(counted.Take(included), state);
        if (layers is { } cut && cut < counted.Count && items.Count > 0 && items[^1] is { Kernel: not null, Norm: null } last)
        {
            var next = ModelItems(counted.Skip(cut).Take(1), state);
            if (next.Count == 1 && next[0] is { Kernel: null, Norm: { } norm } && Normalizes(norm, last.Kernel))
            {
                throw new ArgumentException($"{prefix}: layers = {cut} separates '{last.Name}' from its batch norm '{norm.Name}'; import both.", nameof(layers));
            }
        }

        List<(Tensor Target, Tensor Source)> copies;
        try
        {
            copies = ByName(state, items, WeightFiles.Kind(full) == "ONNX model" ? null : full, layers is null)
                ?? Match(items, WeightFiles.ReadItems(full), layers is null, prefix, kind);
        }
        catch (InvalidDataException error)
        {
            throw new InvalidDataException($"{prefix}: the file is not a {kind}: {error.Message}. Nothing was imported.", error);
        }

        foreach (var (target, source) in copies)
        {
            target.copy_(source.to(target.dtype, target.device));
        }
    }

    public static void Export(nn.Module model, string summary, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is not (".pt" or ".pth" or ".safetensors"))
        {
            throw new ArgumentException($"{model.GetName()}.ExportWeights writes .pt / .pth (a torch.save state_dict) or .safetensors files, not '{extension}'.", nameof(path));
        }

        using var scope = torch.NewDisposeScope();
        WeightFiles.Write(path, PyTorchLayout(model, summary));
    }

    /// <summary>
    /// The state entries in PyTorch's layout: module by module in the order the layers run (the Summary's rows, then any
    /// other module), each module's parameters, then its buffers (TorchSharp's <c>state_dict</c> lists all parameters first).
    /// </summary>
    internal static List<KeyValuePair<string, Tensor>> PyTorchLayout(nn.Module model, string summary)
    {
        var modules = new List<(string Name, List<KeyValuePair<string, Tensor>> Entries)>();
        foreach (var (name, module) in model.named_modules())
        {
            var prefix = name.Length == 0 ? string.Empty : name + ".";
            var entries = new List<KeyValuePair<string, Tensor>>();
            foreach (var (key, parameter) in module.named_parameters(recurse: false))
            {
                entries.Add(new(prefix + key, parameter.detach().cpu()));
            }

            foreach (var (key, buffer) in module.named_buffers(recurse: false))
            {
                entries.Add(new(prefix + key, buffer.detach().cpu()));
            }

            modules.Add((name, entries));
        }

        var order = Rows(summary).Select((row, index) => (row.Name, index)).GroupBy(r => r.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().index, StringComparer.Ordinal);
        return modules
            .Select((module, index) => (module, Rank: order.TryGetValue(module.Name, out var row) ? row : int.MaxValue, index))
            .OrderBy(m => m.Rank).ThenBy(m => m.index)
            .SelectMany(m => m.module.Entries)
            .ToList();
    }

    /// <summary>The Summary's rows: the name (the field path) and the type in parentheses.</summary>
    private static List<Row> Rows(string summary)
    {
        var rows = new List<Row>();
        var lines = summary.Split('\n');
        var inTable = false;
        foreach (var line in lines)
        {
            if (line.StartsWith("====", StringComparison.Ordinal))
            {
                if (inTable)
                {
                    break;
                }

                inTable = true;
                continue;
            }

            if (!inTable || line.Trim().Length == 0)
            {
                continue;
            }

            var text = line.Trim();
            var space = text.IndexOf(' ', StringComparison.Ordinal);
            var open = text.IndexOf('(', StringComparison.Ordinal);
            var close = text.IndexOfAny([',', ')'], open + 1);
            rows.Add(new Row(text[..space], text[(open + 1)..close]));
        }

        return rows;
    }

    /// <summary>The model's kernels and batch norms of <paramref name="rows"/>, each norm paired with the kernel row before it when it normalizes its outputs.</summary>
    private static List<ModelItem> ModelItems(IEnumerable<Row> rows, Dictionary<string, Tensor> state)
    {
        var items = new List<ModelItem>();
        foreach (var row in rows)
        {
            var entries = state
                .Where(e => e.Key.StartsWith(row.Name + ".", StringComparison.Ordinal) && e.Key.IndexOf('.', row.Name.Length + 1) < 0)
                .ToDictionary(e => e.Key[(row.Name.Length + 1)..], e => e.Value, StringComparer.Ordinal);
            var isNorm = entries.ContainsKey("running_mean");
            if (!isNorm && !entries.ContainsKey("weight"))
            {
                continue; // no weights: pooling, dropout, an add; standardization statistics come from Fit, not from other frameworks
            }

            var roles = isNorm ? WeightFiles.NormRoles : ["weight", "bias"];
            var layer = new ModelLayer(row.Name, isNorm, roles.Where(entries.ContainsKey).ToDictionary(r => r, r => entries[r], StringComparer.Ordinal));
            if (isNorm && items.Count > 0 && items[^1] is { Kernel: { } kernel, Norm: null } previous && previous.Unit == row.Unit && Normalizes(layer, kernel))
            {
                items[^1] = previous with { Norm = layer };
            }
            else
            {
                items.Add(isNorm ? new ModelItem(null, layer, row.Unit) : new ModelItem(layer, null, row.Unit));
            }
        }

        return items;
    }

    private static bool Normalizes(ModelLayer norm, ModelLayer kernel) => kernel.Tensors["weight"].shape[0] == norm.Tensors["running_mean"].shape[0];

    /// <summary>
    /// A state dict that DslNet itself wrote for this declaration (every key of the model, same names) is copied by name:
    /// the exact round trip of <see cref="DslModule.ExportWeights"/>. Null when the file's names are not the model's.
    /// </summary>
    private static List<(Tensor Target, Tensor Source)>? ByName(Dictionary<string, Tensor> state, List<ModelItem> items, string? stateDictPath, bool whole)
    {
        if (stateDictPath is null)
        {
            return null;
        }

        var entries = WeightFiles.ReadStateDict(stateDictPath);
        var file = entries.ToDictionary(e => e.Name, e => e.Value, StringComparer.Ordinal);
        if (!state.Keys.All(file.ContainsKey) || state.Any(e => !e.Value.shape.SequenceEqual(file[e.Key].shape)) || (whole && file.Count != state.Count))
        {
            return null;
        }

        var keys = whole
            ? state.Keys.ToList()
            : items.SelectMany(i => new[] { i.Kernel, i.Norm }).Where(l => l is not null).SelectMany(l => l!.Tensors.Keys.Select(k => $"{l!.Name}.{k}")).ToList();
        return keys.Select(k => (state[k], file[k])).ToList();
    }

    private static List<(Tensor Target, Tensor Source)> Match(List<ModelItem> items, List<FileItem> file, bool whole, string prefix, string kind)
    {
        var copies = new List<(Tensor, Tensor)>();
        var next = 0;
        for (var i = 0; i < items.Count;)
        {
            // A segment: one layer outside units, or every layer of one residual unit (matched by shape among themselves).
            var unit = items[i].Unit;
            var count = unit is null ? 1 : items.Skip(i).TakeWhile(item => item.Unit == unit).Count();
            var segment = items.GetRange(i, count);
            if (next + count > file.Count)
            {
                var missing = segment[Math.Max(0, file.Count - next)];
                var (role, tensor) = Tensors(missing).First();
                throw new InvalidOperationException(
                    $"{prefix}: the {kind} holds fewer layers than the model: layer '{missing.Name}' ({role} {Dataset.ShapeText(tensor.shape)}) finds no tensor left in the file " +
                    $"(the file has {file.Count} kernel/batch-norm layers, the model {items.Count}; the file's last was '{Last(file)}'). Nothing was imported.");
            }

            var window = file.GetRange(next, count);
            var order = Enumerable.Range(0, count).ToArray();
            if (!Enumerable.Range(0, count).All(k => Differs(segment[k], window[k]) is null))
            {
                if (unit is null)
                {
                    throw Mismatch(prefix, segment[0], window[0]);
                }

                // The file lists the unit's layers in another order (a shortcut first, as CNTK's ONNX does): place each by shape.
                for (var k = 0; k < count; k++)
                {
                    var candidates = Enumerable.Range(0, count).Where(c => Differs(segment[k], window[c]) is null).ToList();
                    if (candidates.Count == 0)
                    {
                        throw Mismatch(prefix, segment[k], window[k], $" (no layer of the file's unit starting at '{Name(window[0])}' has its shapes)");
                    }

                    if (candidates.Count > 1)
                    {
                        var (role, tensor) = Tensors(segment[k]).First();
                        throw new InvalidOperationException(
                            $"{prefix}: ambiguous match in residual unit '{unit}': the file lists its layers in another order than the model, and layer '{segment[k].Name}' " +
                            $"({role} {Dataset.ShapeText(tensor.shape)}) has the shapes of {candidates.Count} of them " +
                            $"({string.Join(", ", candidates.Select(c => $"'{Name(window[c])}' {Dataset.ShapeText(FileTensors(window[c]).First().Tensor.shape)}"))}), " +
                            "so shapes cannot tell which is which. Reorder the file's tensors as the model declares them. Nothing was imported.");
                    }

                    order[k] = candidates[0];
                }

                if (order.Distinct().Count() != count)
                {
                    throw Mismatch(prefix, segment[0], window[0], " (the unit's layers do not pair up by shape)");
                }
            }

            for (var k = 0; k < count; k++)
            {
                copies.AddRange(Pairs(segment[k], window[order[k]]));
            }

            next += count;
            i += count;
        }

        if (whole && next < file.Count)
        {
            var (name, tensor) = FileTensors(file[next]).First();
            throw new InvalidOperationException(
                $"{prefix}: the {kind} holds more layers than the model: after the model's last layer '{items[^1].Name}', tensor '{name}' {Dataset.ShapeText(tensor.shape)} " +
                $"{(file.Count - next > 1 ? $"and {file.Count - next - 1} more kernel/batch-norm layers are" : "is")} left over. Pass layers: to import only the model's first rows (a pretrained body under a new head). Nothing was imported.");
        }

        return copies;
    }

    private static IEnumerable<(string Role, Tensor Tensor)> Tensors(ModelItem item) =>
        new[] { item.Kernel, item.Norm }.Where(l => l is not null).SelectMany(l => l!.Tensors.Select(t => ($"{l!.Name}.{t.Key}", t.Value)));

    private static IEnumerable<(string Name, Tensor Tensor)> FileTensors(FileItem item) =>
        new[] { item.Kernel, item.Norm }.Where(l => l is not null).SelectMany(l => l!.Tensors.Values.Select(t => (t.Name, t.Value)));

    private static string Name(FileItem item) => FileTensors(item).First().Name;

    private static string Last(List<FileItem> file) => file.Count == 0 ? "none" : FileTensors(file[^1]).Last().Name;

    /// <summary>Why <paramref name="item"/> cannot take <paramref name="source"/> (the first tensor that differs), or null when every tensor fits.</summary>
    private static string? Differs(ModelItem item, FileItem source)
    {
        var detail = Differs(item.Kernel, source.Kernel) ?? Differs(item.Norm, source.Norm);
        return detail;
    }

    private static string? Differs(ModelLayer? layer, FileLayer? source)
    {
        if (layer is null && source is null)
        {
            return null;
        }

        if (layer is null)
        {
            var (role, tensor) = source!.Tensors.First();
            return $"the file has '{tensor.Name}' {Dataset.ShapeText(tensor.Value.shape)} ({(source.IsNorm ? "a batch norm" : "a kernel")}) where the model has no {(source.IsNorm ? "batch norm" : "kernel")}";
        }

        if (source is null || source.IsNorm != layer.IsNorm)
        {
            var (role, tensor) = layer.Tensors.First();
            return $"'{layer.Name}.{role}' {Dataset.ShapeText(tensor.shape)} has no {(layer.IsNorm ? "batch norm" : "kernel")} in the file at that place";
        }

        foreach (var role in layer.IsNorm ? WeightFiles.NormRoles : ["weight", "bias"])
        {
            var has = layer.Tensors.TryGetValue(role, out var tensor);
            var fileHas = source.Tensors.TryGetValue(role, out var fileTensor);
            if (has && !fileHas)
            {
                return $"'{layer.Name}.{role}' {Dataset.ShapeText(tensor!.shape)} has no {role} in the file's layer '{source.Name}'";
            }

            if (!has && fileHas)
            {
                return $"the file's '{fileTensor!.Name}' {Dataset.ShapeText(fileTensor.Value.shape)} has no place in '{layer.Name}', which declares no {role}";
            }

            if (has && !tensor!.shape.SequenceEqual(fileTensor!.Value.shape))
            {
                return $"'{layer.Name}.{role}' has shape {Dataset.ShapeText(tensor.shape)}, the file's '{fileTensor.Name}' has {Dataset.ShapeText(fileTensor.Value.shape)}";
            }
        }

        return null;
    }

    private static InvalidOperationException Mismatch(string prefix, ModelItem item, FileItem source, string extra = "") =>
        new($"{prefix}: layer '{item.Name}' does not fit the file's layer at its place: {Differs(item, source) ?? "its shapes match no other layer of the unit"}{extra}. Nothing was imported.");

    private static IEnumerable<(Tensor, Tensor)> Pairs(ModelItem item, FileItem source)
    {
        foreach (var (layer, fileLayer) in new[] { (item.Kernel, source.Kernel), (item.Norm, source.Norm) })
        {
            if (layer is null)
            {
                continue;
            }

            foreach (var (role, tensor) in layer.Tensors)
            {
                yield return (tensor, fileLayer!.Tensors[role].Value);
            }
        }
    }
}

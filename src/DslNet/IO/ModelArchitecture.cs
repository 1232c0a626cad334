using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using static TorchSharp.torch;

namespace DslNet.IO;

/// <summary>
/// What identifies a model's architecture in model files and training backups: its name, the layer rows of its
/// Keras-style summary (when it is a generated <see cref="IModel"/>), and the layout of its state (every parameter and
/// buffer: name, dtype and shape). The fingerprint is a hash of the summary rows and the layout, so two models with the
/// same declared layers and shapes share it whatever their names.
/// </summary>
internal sealed partial record ModelArchitecture(string Name, string Layers, string Layout)
{
    /// <summary>The architecture of <paramref name="model"/>, named <paramref name="name"/> (else its <see cref="IModel.Name"/> or type name).</summary>
    public static ModelArchitecture Of(nn.Module model, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var summary = (model as IModel)?.Summary;
        var layout = new StringBuilder();
        foreach (var (key, tensor) in model.state_dict())
        {
            layout.Append(key).Append(' ').Append(tensor.dtype).Append(" [").AppendJoin(", ", tensor.shape).Append("]\n");
        }

        return new ModelArchitecture(name ?? (model as IModel)?.Name ?? model.GetType().Name, LayerRows(summary), layout.ToString());
    }

    /// <summary>A short hash of <see cref="Layers"/> and <see cref="Layout"/> (16 hex digits).</summary>
    public string Fingerprint =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Layers + "\n--\n" + Layout)))[..16].ToLowerInvariant();

    /// <summary>"Name (architecture 0123abcd…)".</summary>
    public override string ToString() => $"{Name} (architecture {Fingerprint})";

    /// <summary>The first line in which this architecture's description differs from <paramref name="other"/>'s, for error messages.</summary>
    public string FirstDifference(ModelArchitecture other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var mine = (Layers + Layout).Split('\n');
        var theirs = (other.Layers + other.Layout).Split('\n');
        for (var i = 0; i < Math.Max(mine.Length, theirs.Length); i++)
        {
            var a = i < mine.Length ? mine[i].Trim() : "(nothing)";
            var b = i < theirs.Length ? theirs[i].Trim() : "(nothing)";
            if (a != b)
            {
                return $"'{b}' where {Name} has '{a}'";
            }
        }

        return Name == other.Name ? "nothing" : $"the model name, {other.Name} instead of {Name}";
    }

    /// <summary>
    /// The layer rows of a Keras-style summary, with its title (which names the model) and its rules left out and every run
    /// of spaces made one, so that a change in the summary's column widths does not change the architecture.
    /// </summary>
    internal static string LayerRows(string? summary) => summary is null
        ? ""
        : string.Join('\n', summary.Split('\n')
            .Where(line => !line.StartsWith("Model:", StringComparison.Ordinal) && !line.StartsWith("___", StringComparison.Ordinal) && !line.StartsWith("===", StringComparison.Ordinal))
            .Select(line => Spaces().Replace(line.Trim(), " ")));

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}

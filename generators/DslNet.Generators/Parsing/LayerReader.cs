using DslNet.Generators.Helpers;
using DslNet.Generators.Model;

namespace DslNet.Generators.Parsing;

/// <summary>A layer attribute as written: a layer template and how many times it repeats.</summary>
internal sealed record DeclaredLayer(LayerSpec Template, int Repeat, int Position);

/// <summary>Reads one layer attribute through its kind's descriptor, which checks the argument ranges (DSL002).</summary>
internal static class LayerReader
{
    /// <summary>Reads the attribute <paramref name="reader"/>, whose class is a layer kind's (<see cref="LayerKinds.ByAttributeName"/>).</summary>
    public static DeclaredLayer Read(AttributeReader reader, LayerKind kind, int index)
    {
        var template = new LayerSpec(kind, string.Empty, reader.Index, EquatableArray<int>.Empty, EquatableArray<int>.Empty)
        {
            Position = index + 1,
            // Every layer attribute with weights has Trainable.
            Frozen = !reader.Bool("Trainable", true),
        };
        template = LayerKinds.Of(kind).Read(reader, template, out var repeat);
        return new DeclaredLayer(template, repeat, index + 1);
    }
}

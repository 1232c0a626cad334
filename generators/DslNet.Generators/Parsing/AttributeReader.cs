using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using DslNet.Generators.Model;
using Microsoft.CodeAnalysis;

namespace DslNet.Generators.Parsing;

/// <summary>
/// Reads one DslNet attribute's arguments by name, with the attribute's defaults, and records range errors (DSL002)
/// at the argument at fault. Never throws on malformed input: a missing or mistyped value reads as the default.
/// </summary>
internal sealed class AttributeReader
{
    private readonly AttributeData attribute;
    private readonly int index;
    private readonly List<DiagnosticInfo> diagnostics;

    public AttributeReader(AttributeData attribute, int index, string name, List<DiagnosticInfo> diagnostics)
    {
        this.attribute = attribute;
        this.index = index;
        this.diagnostics = diagnostics;
        Name = name;
    }

    /// <summary>The attribute's short name (<c>Dense</c>, <c>Nadam</c>, …).</summary>
    public string Name { get; }

    public int Index => index;

    /// <summary>Where this reader records its diagnostics (a [Block]'s layers are read into the unit's).</summary>
    public List<DiagnosticInfo> Diagnostics => diagnostics;

    public TypedConstant? Positional(int position) =>
        position < attribute.ConstructorArguments.Length ? attribute.ConstructorArguments[position] : null;

    public TypedConstant? Named(string name)
    {
        foreach (var pair in attribute.NamedArguments)
        {
            if (pair.Key == name)
            {
                return pair.Value;
            }
        }

        return null;
    }

    public double Double(string name, double fallback) => AsDouble(Named(name)) ?? fallback;

    public int Int(string name, int fallback) => AsInt(Named(name)) ?? fallback;

    public bool Bool(string name, bool fallback) => Named(name) is { Kind: TypedConstantKind.Primitive, Value: bool value } ? value : fallback;

    public string? String(string name) => Named(name) is { Kind: TypedConstantKind.Primitive, Value: string value } ? value : null;

    public TEnum Enum<TEnum>(string name, TEnum fallback)
        where TEnum : struct, Enum => EnumValue(Named(name), name, fallback);

    public TEnum PositionalEnum<TEnum>(int position, string parameterName, TEnum fallback)
        where TEnum : struct, Enum => EnumValue(Positional(position), parameterName, fallback, position);

    public double PositionalDouble(int position, double fallback) => AsDouble(Positional(position)) ?? fallback;

    public int PositionalInt(int position, int fallback) => AsInt(Positional(position)) ?? fallback;

    public ImmutableArray<int> PositionalInts(int position) => Values(Positional(position)).Select(c => AsInt(c)).Where(v => v.HasValue).Select(v => v!.Value).ToImmutableArray();

    public ImmutableArray<double> PositionalDoubles(int position) => Values(Positional(position)).Select(c => AsDouble(c)).Where(v => v.HasValue).Select(v => v!.Value).ToImmutableArray();

    /// <summary>Records DSL002 unless <paramref name="valid"/>; returns <paramref name="valid"/>.</summary>
    public bool Require(bool valid, string argument, object value, string expectation, int position = -1)
    {
        if (!valid)
        {
            var site = new DiagnosticSite(index, position >= 0 ? null : argument, position);
            diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.ArgumentOutOfRange, site, $"{Name}.{argument}", ValueText.Format(value), expectation));
        }

        return valid;
    }

    public void Report(DiagnosticInfo diagnostic) => diagnostics.Add(diagnostic);

    private TEnum EnumValue<TEnum>(TypedConstant? constant, string name, TEnum fallback, int position = -1)
        where TEnum : struct, Enum
    {
        var raw = AsInt(constant);
        if (raw is null)
        {
            return fallback;
        }

        var value = (TEnum)System.Enum.ToObject(typeof(TEnum), raw.Value);
        return Require(System.Enum.IsDefined(typeof(TEnum), value), name, raw.Value, $"a defined {typeof(TEnum).Name} value", position)
            ? value
            : fallback;
    }

    private static IEnumerable<TypedConstant> Values(TypedConstant? constant) =>
        constant is { Kind: TypedConstantKind.Array, IsNull: false } array ? array.Values : Enumerable.Empty<TypedConstant>();

    private static double? AsDouble(TypedConstant? constant) => constant is { Kind: TypedConstantKind.Primitive } c
        ? c.Value switch
        {
            double d => d,
            float f => f,
            int i => i,
            long l => l,
            _ => null,
        }
        : null;

    private static int? AsInt(TypedConstant? constant) => constant is { Kind: TypedConstantKind.Primitive or TypedConstantKind.Enum } c
        ? c.Value switch
        {
            int i => i,
            short s => s,
            byte b => b,
            long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
            _ => null,
        }
        : null;
}

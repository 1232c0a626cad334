using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using DslNet.Generators.Kinds;

namespace DslNet.Generators.Model
{
    /// <summary>What a layer is. Each kind has one descriptor in <see cref="LayerKinds.Of"/>.</summary>
    internal enum LayerKind
    {
        Standardize,
        Flatten,
        Dense,
        BatchNorm,
        Activation,
        Dropout,
        AlphaDropout,
        Conv2D,
        MaxPool,
        AvgPool,
        GlobalAvgPool,
        RandomFlip,
        RandomCrop,
        Resize,
        Residual,
        Whiten,
    }

    /// <summary>
    /// The layer kinds and their descriptors. <see cref="Of"/> is the one switch over <see cref="LayerKind"/>: a kind
    /// without a descriptor fails the test that enumerates the kinds (and throws here, never falls back to another kind).
    /// </summary>
    internal static class LayerKinds
    {
        private static readonly ImmutableDictionary<string, LayerDescriptor> ByAttribute =
            ((LayerKind[])Enum.GetValues(typeof(LayerKind))).Select(Of).ToImmutableDictionary(kind => kind.AttributeName + "Attribute");

        /// <summary>The descriptor of <paramref name="kind"/>.</summary>
        public static LayerDescriptor Of(LayerKind kind) => kind switch
        {
            LayerKind.Standardize => Descriptors.Standardize,
            LayerKind.Flatten => Descriptors.Flatten,
            LayerKind.Dense => Descriptors.Dense,
            LayerKind.BatchNorm => Descriptors.BatchNorm,
            LayerKind.Activation => Descriptors.Activation,
            LayerKind.Dropout => DropoutLayer.Plain,
            LayerKind.AlphaDropout => DropoutLayer.Alpha,
            LayerKind.Conv2D => Descriptors.Conv2D,
            LayerKind.MaxPool => PoolingLayer.Max,
            LayerKind.AvgPool => PoolingLayer.Average,
            LayerKind.GlobalAvgPool => Descriptors.GlobalAvgPool,
            LayerKind.RandomFlip => AugmentationLayer.Flip,
            LayerKind.RandomCrop => AugmentationLayer.Crop,
            LayerKind.Resize => Descriptors.Resize,
            LayerKind.Residual => ResidualLayer.Instance,
            LayerKind.Whiten => Descriptors.Whiten,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unreachable: every layer kind has a descriptor."),
        };

        /// <summary>The descriptor of <paramref name="layer"/>'s kind.</summary>
        public static LayerDescriptor Of(LayerSpec layer) => Of(layer.Kind);

        /// <summary>The descriptor of a layer attribute's class name (<c>DenseAttribute</c>), or null when it declares no layer kind.</summary>
        public static LayerDescriptor? ByAttributeName(string attributeClassName) =>
            ByAttribute.TryGetValue(attributeClassName, out var descriptor) ? descriptor : null;

        /// <summary>Every layer attribute's class name.</summary>
        public static IEnumerable<string> AttributeNames => ByAttribute.Keys;

        private static class Descriptors
        {
            public static readonly LayerDescriptor Standardize = new StandardizeLayer();
            public static readonly LayerDescriptor Flatten = new FlattenLayer();
            public static readonly LayerDescriptor Dense = new DenseLayer();
            public static readonly LayerDescriptor BatchNorm = new BatchNormLayer();
            public static readonly LayerDescriptor Activation = new ActivationLayer();
            public static readonly LayerDescriptor Conv2D = new Conv2DLayer();
            public static readonly LayerDescriptor GlobalAvgPool = new GlobalAvgPoolLayer();
            public static readonly LayerDescriptor Resize = new ResizeLayer();
            public static readonly LayerDescriptor Whiten = new WhitenLayer();
        }
    }
}

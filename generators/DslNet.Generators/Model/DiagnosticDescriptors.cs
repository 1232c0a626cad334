using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace DslNet.Generators.Model;

/// <summary>Every diagnostic DslNet reports. IDs are stable; each has a section in docs/diagnostics.md.</summary>
internal static class DiagnosticDescriptors
{
    /// <summary>Every help link is this plus the lower-case ID (<c>#dsl101</c>): the rule's section in docs/diagnostics.md.</summary>
    public const string HelpBase = "https://github.com/dslnet/dslnet/blob/main/docs/diagnostics.md#";
    private const string Declaration = "DslNet.Declaration";
    private const string SelfNormalization = "DslNet.SelfNormalization";
    private const string Training = "DslNet.Training";

    public static readonly DiagnosticDescriptor ModelClassShape = Error(
        "DSL001", Declaration,
        "A [Model] class must be partial, non-generic and not nested in a non-partial type",
        "Model class '{0}' {1}; DslNet generates the rest of this class, so declare it as a non-generic 'partial class' whose containing types are partial too");

    public static readonly DiagnosticDescriptor ArgumentOutOfRange = Error(
        "DSL002", Declaration,
        "A DslNet argument is out of range",
        "{0} is {1}, but it must be {2}");

    public static readonly DiagnosticDescriptor LayersMissingOrSplit = Error(
        "DSL003", Declaration,
        "A model needs layers, all on one partial declaration",
        "Model '{0}' {1}");

    public static readonly DiagnosticDescriptor DuplicateTrainingComponent = Error(
        "DSL004", Declaration,
        "At most one optimizer and one learning-rate schedule per model",
        "Model '{0}' declares more than one {1} ({2}); keep one");

    public static readonly DiagnosticDescriptor LayerOrder = Error(
        "DSL005", Declaration,
        "A layer stands where it cannot work",
        "{0}");

    public static readonly DiagnosticDescriptor LayerShape = Error(
        "DSL006", Declaration,
        "A layer cannot take the shape it receives",
        "{0} receives {1}, but {2}");
    public static readonly DiagnosticDescriptor InvalidReuse = Error(
        "DSL007", Declaration,
        "[Reuse] cannot take these layers",
        "{0}");

    public static readonly DiagnosticDescriptor GeneratedMemberRedefined = Error(
        "DSL008", Declaration,
        "A [Model] class redefines a member DslNet generates",
        "Model '{0}' {1} '{2}', which DslNet generates; {3}");

    public static readonly DiagnosticDescriptor SeluInitializer = Warning(
        "DSL101", SelfNormalization,
        "A SELU layer must be initialized with LeCun normal",
        "{0} is initialized with {1}; self-normalization needs LeCun normal (Init = Init.LeCun)");

    public static readonly DiagnosticDescriptor SeluBatchNorm = Warning(
        "DSL102", SelfNormalization,
        "Batch normalization in a SELU network",
        "{0} uses batch normalization in a SELU network; SELU normalizes by itself and batch norm breaks the self-normalizing fixed point");

    public static readonly DiagnosticDescriptor SeluPlainDropout = Warning(
        "DSL103", SelfNormalization,
        "Plain dropout in a SELU network",
        "{0} is plain dropout in a SELU network; it shifts the activations' mean and variance: use [AlphaDropout({1})]");

    public static readonly DiagnosticDescriptor SeluRegularization = Warning(
        "DSL104", SelfNormalization,
        "Weight regularization in a SELU network",
        "{0} uses {1} in a SELU network; ℓ1, ℓ2 and max-norm regularization break self-normalization (use AlphaDropout to regularize)");

    public static readonly DiagnosticDescriptor SeluInputsNotStandardized = Warning(
        "DSL105", SelfNormalization,
        "A SELU network's inputs must be standardized",
        "SELU network '{0}' takes inputs that are not standardized; add [Standardize] as the first layer, or set InputsStandardized = true if you standardize them yourself");

    public static readonly DiagnosticDescriptor SeluMixedActivations = Warning(
        "DSL106", SelfNormalization,
        "A SELU network mixes SELU with other hidden activations",
        "{0} uses {1} in a SELU network; self-normalization needs every hidden layer to be SELU");

    public static readonly DiagnosticDescriptor SeluResidualUnit = Warning(
        "DSL107", SelfNormalization,
        "A residual unit in a SELU network",
        "{0} adds its shortcut to its main path in a SELU network; self-normalization's fixed point (mean 0, variance 1) is derived for a plain feed-forward stack, and a sum of two such signals has variance 2, so a SELU network does not self-normalize through skip connections: drop the skip connections, or use ReLU-family activations with batch normalization (the ResNet recipe)");

    public static readonly DiagnosticDescriptor ConstantInitializer = Warning(
        "DSL201", Training,
        "Weights initialized to one constant start every unit identical",
        "{0} starts with every weight equal to {1}, so all its units compute the same thing and only random weights above them can tell them apart (nothing can, if those are constant too): use a random initializer (Init.Auto picks one for the activation)");

    public static readonly DiagnosticDescriptor InitializerMismatch = Warning(
        "DSL202", Training,
        "The initializer does not match the activation",
        "{0} uses {1} initialization with {2}; {3} is the matching initializer");

    public static readonly DiagnosticDescriptor SaturatingHiddenActivation = Warning(
        "DSL203", Training,
        "Softmax or Sigmoid in a hidden layer",
        "{0} uses {1} in a hidden layer; it saturates and squashes gradients: use it only in the output layer");

    public static readonly DiagnosticDescriptor MomentumTooHigh = Warning(
        "DSL204", Training,
        "SGD momentum too close to 1",
        "SGD momentum is {0}; so close to 1 the optimizer overshoots and oscillates for a long time: 0.9 is the usual choice");

    public static readonly DiagnosticDescriptor AlphaDropoutWithoutSelu = Warning(
        "DSL205", Training,
        "Alpha dropout in a network that is not SELU",
        "{0} is alpha dropout in a network that is not SELU; it preserves SELU's statistics only: use [Dropout({1})]");

    public static readonly DiagnosticDescriptor DeepSaturatingNetwork = Warning(
        "DSL206", Training,
        "A deep sigmoid or tanh network without batch normalization",
        "Model '{0}' has {1} hidden {2} layers and no batch normalization; gradients vanish through that many saturating layers: use ReLU-family activations or add BatchNorm = true");

    public static readonly DiagnosticDescriptor BiasBeforeBatchNorm = Warning(
        "DSL207", Training,
        "A bias right before batch normalization",
        "{0} adds a bias that {1} removes again (it subtracts the batch mean, and its own shift β takes the bias's role): set UseBias = false");

    public static readonly DiagnosticDescriptor BatchNormAfterDropout = Warning(
        "DSL208", Training,
        "Batch normalization after dropout",
        "{0} comes before {1}; batch norm then learns statistics of dropped-out activations that inference never sees (variance shift): move the dropout after the last batch-normalized layer");

    public static readonly DiagnosticDescriptor ConvWithoutDownsampling = Warning(
        "DSL209", Training,
        "A conv stack that never downsamples before a very large Dense",
        "{0} flattens a {1} map from conv layers that never downsample, so its kernel has {2} weights ({3}% of the model's parameters); add MaxPool or Stride = 2 between the conv layers, or GlobalAvgPool before the Dense");
    public static readonly DiagnosticDescriptor OutputDoesNotFitLoss = Warning(
        "DSL210", Training,
        "The output layer does not fit the loss",
        "{0} is the output layer, and {1}");

    public static readonly DiagnosticDescriptor AccuracyMonitoredWithoutAccuracy = Warning(
        "DSL211", Training,
        "Accuracy monitored on a model without accuracy",
        "{0} watches ValAccuracy, but model '{1}' minimizes {2} and has no accuracy, so it never improves; monitor Monitored.ValLoss");

    public static readonly DiagnosticDescriptor LayerAttributesWithoutModel = Warning(
        "DSL212", Declaration,
        "Layer attributes on a class without [Model]",
        "'{0}' has DslNet layer attributes ({1}) but no [Model], so nothing is generated for it; add [Model(…)] with the input shape, or remove the attributes");

    public static readonly DiagnosticDescriptor ReusedOutputLayer = Warning(
        "DSL213", Training,
        "The reused layers include the source's output layer",
        "[Reuse] takes {0} rows of '{1}', up to its output layer '{2}', which is specific to the source's task; reuse Layers = {3} and add a new output layer");

    private static readonly Dictionary<string, DiagnosticDescriptor> All = typeof(DiagnosticDescriptors)
        .GetFields()
        .Where(field => field.FieldType == typeof(DiagnosticDescriptor))
        .Select(field => (DiagnosticDescriptor)field.GetValue(null)!)
        .ToDictionary(descriptor => descriptor.Id);

    public static IEnumerable<DiagnosticDescriptor> Every => All.Values.OrderBy(descriptor => descriptor.Id);

    public static DiagnosticDescriptor ById(string id) => All[id];

    private static DiagnosticDescriptor Error(string id, string category, string title, string message) =>
        new(id, title, message, category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpBase + id.ToLowerInvariant());

    private static DiagnosticDescriptor Warning(string id, string category, string title, string message) =>
        new(id, title, message, category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpBase + id.ToLowerInvariant());
}

using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using DslNet.Generators.Helpers;
using DslNet.Generators.Model;
using Microsoft.CodeAnalysis;
using OutputKind = DslNet.Generators.Model.OutputKind;

namespace DslNet.Generators.Parsing;

/// <summary>The parser's answer: the planned model (null when it cannot be built) and what is wrong with the declaration.</summary>
internal sealed record ParseResult(ModelSpec? Model, EquatableArray<DiagnosticInfo> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(diagnostic => diagnostic.IsError);
}

/// <summary>
/// Turns a [Model] class symbol into a <see cref="ModelSpec"/>: reads the DslNet attributes in declaration order,
/// checks the declaration rules that decide whether the model can be built (DSL001–DSL005, DSL002 among them the argument ranges), and plans the
/// network (<see cref="NetworkPlanner"/>). Shared by the generator and the analyzers. Never throws on user input.
/// </summary>
internal static class ModelParser
{
    public const string Namespace = "DslNet";
    public const string ModelAttributeName = "DslNet.ModelAttribute";

    /// <summary>The attributes that take a place in the layer sequence: every layer kind's, and [Reuse].</summary>
    private static readonly ImmutableHashSet<string> LayerAttributes = LayerKinds.AttributeNames.Concat(new[] { "ReuseAttribute" }).ToImmutableHashSet();

    private static readonly ImmutableDictionary<string, OptimizerKind> Optimizers = new Dictionary<string, OptimizerKind>
    {
        ["SgdAttribute"] = OptimizerKind.Sgd,
        ["AdamAttribute"] = OptimizerKind.Adam,
        ["AdamWAttribute"] = OptimizerKind.AdamW,
        ["AdaMaxAttribute"] = OptimizerKind.AdaMax,
        ["NadamAttribute"] = OptimizerKind.Nadam,
        ["RmsPropAttribute"] = OptimizerKind.RmsProp,
        ["AdaGradAttribute"] = OptimizerKind.AdaGrad,
    }.ToImmutableDictionary();

    private static readonly ImmutableDictionary<string, ScheduleKind> Schedules = new Dictionary<string, ScheduleKind>
    {
        ["OneCycleAttribute"] = ScheduleKind.OneCycle,
        ["ExponentialDecayAttribute"] = ScheduleKind.ExponentialDecay,
        ["PowerDecayAttribute"] = ScheduleKind.PowerDecay,
        ["PiecewiseConstantAttribute"] = ScheduleKind.PiecewiseConstant,
        ["ReduceOnPlateauAttribute"] = ScheduleKind.ReduceOnPlateau,
    }.ToImmutableDictionary();

    /// <summary>Parses the model declared by <paramref name="type"/> (which carries [Model]).</summary>
    public static ParseResult Parse(INamedTypeSymbol type, CancellationToken cancellationToken) => Parse(type, cancellationToken, 0);

    /// <summary>Parses a model; <paramref name="depth"/> counts the [Reuse] sources above it (a model parsed as another's source).</summary>
    public static ParseResult Parse(INamedTypeSymbol type, CancellationToken cancellationToken, int depth)
    {
        var diagnostics = new List<DiagnosticInfo>();
        if (type.DeclaringSyntaxReferences.Length > 0)
        {
            // A source model from a referenced assembly has no syntax; its own compilation checked its shape.
            CheckClassShape(type, diagnostics);
        }

        var attributes = type.GetAttributes();
        AttributeReader? model = null;
        var layers = new List<AttributeReader>();
        var optimizers = new List<AttributeReader>();
        var schedules = new List<AttributeReader>();
        AttributeReader? earlyStopping = null, train = null, loss = null, testTimeAugmentation = null;

        for (var i = 0; i < attributes.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var attribute = attributes[i];
            var name = DslAttributeName(attribute);
            if (name is null || attribute.AttributeClass is null || attribute.AttributeClass.TypeKind == TypeKind.Error)
            {
                continue;
            }

            var reader = new AttributeReader(attribute, i, name.Substring(0, name.Length - "Attribute".Length), diagnostics);
            if (LayerAttributes.Contains(name))
            {
                layers.Add(reader);
            }
            else if (Optimizers.ContainsKey(name))
            {
                optimizers.Add(reader);
            }
            else if (Schedules.ContainsKey(name))
            {
                schedules.Add(reader);
            }
            else
            {
                switch (name)
                {
                    case "ModelAttribute": model ??= reader; break;
                    case "EarlyStoppingAttribute": earlyStopping ??= reader; break;
                    case "TrainAttribute": train ??= reader; break;
                    case "LossAttribute": loss ??= reader; break;
                    case "TestTimeAugmentationAttribute": testTimeAugmentation ??= reader; break;
                }
            }
        }

        if (model is null)
        {
            return new ParseResult(null, diagnostics.ToEquatableArray());
        }

        var modelName = model.String("Name") ?? type.Name;
        var inputShape = ReadInputShape(model);
        CheckLayersPresentAndTogether(type, attributes, layers, modelName, diagnostics);
        CheckSingle(optimizers, modelName, "optimizer", diagnostics);
        CheckSingle(schedules, modelName, "learning-rate schedule", diagnostics);

        var declaredLayers = layers.Select((layer, index) => (layer, index))
            .Where(pair => pair.layer.Name != "Reuse")
            .Select(pair => LayerReader.Read(pair.layer, LayerKinds.ByAttributeName(pair.layer.Name + "Attribute")!.Kind, pair.index))
            .ToList();
        var optimizer = optimizers.Count > 0
            ? TrainingReader.ReadOptimizer(optimizers[0], Optimizers[optimizers[0].Name + "Attribute"])
            : new OptimizerSpec(OptimizerKind.RmsProp, KerasDefaults.LearningRate);
        var schedule = schedules.Count > 0 ? TrainingReader.ReadSchedule(schedules[0], Schedules[schedules[0].Name + "Attribute"]) : null;
        var stopping = earlyStopping is null ? null : TrainingReader.ReadEarlyStopping(earlyStopping);
        var trainSpec = train is null ? new TrainSpec(KerasDefaults.Epochs, KerasDefaults.BatchSize, KerasDefaults.Shuffle, -1) : TrainingReader.ReadTrain(train);
        var lossKind = loss?.PositionalEnum(0, "kind", LossKind.Auto) ?? LossKind.Auto;
        var labelSmoothing = loss?.Double("LabelSmoothing", 0) ?? 0;
        loss?.Require(labelSmoothing >= 0 && labelSmoothing <= 1, "LabelSmoothing", labelSmoothing, "in [0, 1], as Keras' label_smoothing (0 = none; airbench uses 0.2)");
        var seed = model.Int("Seed", KerasDefaults.Seed);
        model.Require(seed >= 0, "Seed", seed, "≥ 0 (TorchSharp seeds are unsigned)");
        var augmentation = testTimeAugmentation is null ? null : TrainingReader.ReadTestTimeAugmentation(testTimeAugmentation, inputShape);

        if (diagnostics.Any(d => d.IsError) || inputShape.IsDefaultOrEmpty)
        {
            return new ParseResult(null, diagnostics.ToEquatableArray());
        }

        ReuseSpec? reuse = null;
        var reused = new List<LayerSpec>();
        foreach (var layer in layers.Where(layer => layer.Name == "Reuse"))
        {
            (reuse, reused) = ReuseReader.Read(type, layer, layer == layers[0], inputShape, depth, cancellationToken, diagnostics);
        }

        if (diagnostics.Any(d => d.IsError))
        {
            return new ParseResult(null, diagnostics.ToEquatableArray());
        }

        var plan = NetworkPlanner.Plan(inputShape, declaredLayers, diagnostics, reused);
        if (plan is null || diagnostics.Any(d => d.IsError))
        {
            return new ParseResult(null, diagnostics.ToEquatableArray());
        }

        var outputKind = NetworkFacts.OutputKindOf(plan);
        var resolvedLoss = ResolveLoss(lossKind, outputKind);
        if (labelSmoothing > 0 && resolvedLoss is not (LossKind.SparseCategoricalCrossEntropy or LossKind.BinaryCrossEntropy))
        {
            loss!.Require(false, "LabelSmoothing", labelSmoothing,
                $"0 with {(lossKind == LossKind.Auto ? "the loss inferred from the output layer, " : string.Empty)}{resolvedLoss}: Keras smooths only cross-entropy targets (a classifier's Softmax or Sigmoid output)");
            return new ParseResult(null, diagnostics.ToEquatableArray());
        }

        var spec = new ModelSpec(
            Namespace: type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : string.Empty,
            ContainingTypes: ContainingTypes(type),
            ClassName: type.Name,
            Name: modelName,
            InputShape: inputShape.ToEquatableArray(),
            Seed: seed,
            InputsStandardized: model.Bool("InputsStandardized", false),
            Layers: plan.ToEquatableArray(),
            Loss: resolvedLoss,
            OutputKind: outputKind,
            Optimizer: optimizer,
            Schedule: schedule,
            EarlyStopping: stopping,
            Train: trainSpec)
        {
            Reuse = reuse,
            LabelSmoothing = labelSmoothing,
            TestTimeAugmentation = augmentation,
        };
        return new ParseResult(spec, diagnostics.ToEquatableArray());
    }

    /// <summary>The attribute's class name when it is one of DslNet's (namespace <c>DslNet</c>), else null.</summary>
    public static string? DslAttributeName(AttributeData attribute) =>
        attribute.AttributeClass is { ContainingType: null, ContainingNamespace: { Name: Namespace, ContainingNamespace.IsGlobalNamespace: true } } type
            ? type.Name
            : null;

    public static LossKind ResolveLoss(LossKind declared, OutputKind output) => declared != LossKind.Auto
        ? declared
        : output switch
        {
            OutputKind.Softmax => LossKind.SparseCategoricalCrossEntropy,
            OutputKind.Sigmoid => LossKind.BinaryCrossEntropy,
            OutputKind.Linear => LossKind.MeanSquaredError,
            _ => throw new System.ArgumentOutOfRangeException(nameof(output), output, "Unreachable: every output kind has a loss."),
        };

    private static ImmutableArray<int> ReadInputShape(AttributeReader model)
    {
        var shape = model.PositionalInts(0);
        if (!model.Require(shape.Length > 0, "inputShape", shape, "at least one dimension, e.g. [Model(3, 32, 32)]", 0))
        {
            return ImmutableArray<int>.Empty;
        }

        var valid = true;
        foreach (var dimension in shape)
        {
            valid &= model.Require(dimension >= 1, "inputShape", shape, "dimensions of at least 1", 0);
        }

        return valid ? shape : ImmutableArray<int>.Empty;
    }

    private static void CheckClassShape(INamedTypeSymbol type, List<DiagnosticInfo> diagnostics)
    {
        string? problem = null;
        if (type.TypeKind != TypeKind.Class || type.IsRecord)
        {
            problem = type.IsRecord ? "is a record" : $"is a {type.TypeKind.ToString().ToLowerInvariant()}, not a class";
        }
        else if (!IsPartial(type))
        {
            problem = "is not partial";
        }
        else if (type.IsGenericType)
        {
            problem = "is generic";
        }
        else if (type.IsStatic)
        {
            problem = "is static";
        }
        else
        {
            for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
            {
                if (!IsPartial(outer) || outer.IsGenericType)
                {
                    problem = $"is nested in '{outer.Name}', which is {(outer.IsGenericType ? "generic" : "not partial")}";
                    break;
                }
            }
        }

        if (problem is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ModelClassShape, DiagnosticSite.ClassName, type.Name, problem));
        }
    }

    private static bool IsPartial(INamedTypeSymbol type) =>
        type.DeclaringSyntaxReferences.Length > 0 &&
        type.DeclaringSyntaxReferences.All(reference =>
            reference.GetSyntax() is Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax declaration &&
            declaration.Modifiers.Any(modifier => modifier.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.PartialKeyword)));

    private static void CheckLayersPresentAndTogether(
        INamedTypeSymbol type, ImmutableArray<AttributeData> attributes, List<AttributeReader> layers, string modelName, List<DiagnosticInfo> diagnostics)
    {
        if (layers.Count == 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayersMissingOrSplit, DiagnosticSite.ClassName, modelName,
                "declares no layers; add layer attributes such as [Dense(10, Act = Act.Softmax)] after [Model]"));
            return;
        }

        var declarations = layers.Select(layer => DeclarationOf(type, attributes[layer.Index])).Distinct().ToList();
        if (declarations.Count > 1)
        {
            var first = DeclarationOf(type, attributes[layers[0].Index]);
            var stray = layers.First(layer => DeclarationOf(type, attributes[layer.Index]) != first);
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayersMissingOrSplit, new DiagnosticSite(stray.Index), modelName,
                "has layer attributes on more than one partial declaration, so their order is undefined; move them all onto one declaration"));
        }
    }

    /// <summary>Which partial declaration (index into DeclaringSyntaxReferences) holds the attribute; -1 if unknown.</summary>
    private static int DeclarationOf(INamedTypeSymbol type, AttributeData attribute)
    {
        var application = attribute.ApplicationSyntaxReference;
        if (application is null)
        {
            return -1;
        }

        var references = type.DeclaringSyntaxReferences;
        for (var i = 0; i < references.Length; i++)
        {
            if (references[i].SyntaxTree == application.SyntaxTree && references[i].Span.Contains(application.Span))
            {
                return i;
            }
        }

        return -1;
    }

    private static void CheckSingle(List<AttributeReader> declared, string modelName, string what, List<DiagnosticInfo> diagnostics)
    {
        if (declared.Count > 1)
        {
            var names = string.Join(", ", declared.Select(reader => "[" + reader.Name + "]"));
            foreach (var extra in declared.Skip(1))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateTrainingComponent, new DiagnosticSite(extra.Index), modelName, what, names));
            }
        }
    }

    private static EquatableArray<ContainingTypeSpec> ContainingTypes(INamedTypeSymbol type)
    {
        var outers = new List<ContainingTypeSpec>();
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            var keyword = outer.IsRecord
                ? (outer.TypeKind == TypeKind.Struct ? "record struct" : "record")
                : outer.TypeKind switch
                {
                    TypeKind.Struct => "struct",
                    TypeKind.Interface => "interface",
                    _ => "class",
                };
            outers.Insert(0, new ContainingTypeSpec(keyword, outer.Name));
        }

        return outers.ToEquatableArray();
    }
}

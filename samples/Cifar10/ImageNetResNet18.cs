using System.Reflection;
using DslNet;

namespace DslNet.Samples.Cifar10;

/// <summary>
/// The ImageNet ResNet-18 that NuGet's <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c> 0.24.0 ships as <c>ResNet18.onnx</c>
/// (CNTK's: stages of 2, 2, 2 and 3 units, torch-style symmetric padding, batch-norm epsilon 1e-5), declared with DslNet's
/// attributes, then a new head: cat vs dog. The body's weights come from <see cref="ImageNetResNet18Package.OnnxFile"/>
/// through <c>ImportWeights(path, layers: BodyRows)</c>.
/// </summary>
[Model(3, 224, 224)]
[Conv2D(64, 7, Stride = 2, Padding = Padding.Symmetric, UseBias = false, BatchNorm = true, Act = Act.ReLU, BatchNormEpsilon = 1e-5)]
[MaxPool(3, Stride = 2, Padding = Padding.Symmetric)]
[Residual(64, Repeat = 2, Padding = Padding.Symmetric, BatchNormEpsilon = 1e-5)]
[Residual(128, Stride = 2, Repeat = 2, Padding = Padding.Symmetric, BatchNormEpsilon = 1e-5)]
[Residual(256, Stride = 2, Repeat = 2, Padding = Padding.Symmetric, BatchNormEpsilon = 1e-5)]
[Residual(512, Stride = 2, Repeat = 3, Padding = Padding.Symmetric, BatchNormEpsilon = 1e-5)]
[GlobalAvgPool]
[Dense(2, Act = Act.Softmax)]
[Adam(LearningRate = 1e-3)]
[Train(Epochs = 3, BatchSize = 32)]
public partial class ImageNetResNet18
{
    /// <summary>The body's Summary rows (stem 3, units 5 or 7 each, global pooling): ImportWeights' <c>layers</c>.</summary>
    public const int BodyRows = 55;
}

/// <summary>Where NuGet restored the package's ONNX files (the folder is baked in at build time from <c>$(PkgMicrosoft_ML_DnnImageFeaturizer_ResNet18)</c>).</summary>
public static class ImageNetResNet18Package
{
    /// <summary>The package's <c>tools/DnnImageModels</c> folder.</summary>
    public static string Folder { get; } = typeof(ImageNetResNet18Package).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .FirstOrDefault(a => a.Key == "ResNet18Folder")?.Value
        ?? throw new InvalidOperationException("The build did not record the ResNet18 package's folder (AssemblyMetadata ResNet18Folder).");

    /// <summary>The ImageNet ResNet-18 body: input <c>[1, 3, 224, 224]</c> BGR minus the mean image, output <c>[1, 512, 1, 1]</c>.</summary>
    public static string OnnxFile => Path.Combine(Folder, "ResNet18Onnx", "ResNet18.onnx");

    /// <summary>The package's preprocessing graph: RGB → BGR, minus a mean image <c>[1, 3, 224, 224]</c>.</summary>
    public static string PreprocessFile => Path.Combine(Folder, "ResNetPrepOnnx", "ResNetPreprocess.onnx");
}

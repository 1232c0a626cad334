using DslNet;

namespace DslNet.Samples.Cifar10;

// `-- pretrained`: the package's ImageNet ResNet-18 body behind a [Resize] of CIFAR's 32×32 images (the inputs are
// preprocessed as the package does, BGR minus its mean image, before they reach the model). One declaration per size,
// since every shape is a compile-time constant: `-- pretrained-sizes` measures which size keeps the features useful.

/// <summary>The ImageNet ResNet-18 body at 64×64 (no head: its outputs are the 512 features).</summary>
[Model(3, 32, 32)]
[Resize(64, 64)]
[Conv2D(64, 7, Stride = 2, Padding = Padding.Symmetric, UseBias = false, BatchNorm = true, Act = Act.ReLU, BatchNormEpsilon = 1e-5)]
[MaxPool(3, Stride = 2, Padding = Padding.Symmetric)]
[Residual(64, Repeat = 2, Padding = Padding.Symmetric, BatchNormEpsilon = 1e-5)]
[Residual(128, Stride = 2, Repeat = 2, Padding = Padding.Symmetric, BatchNormEpsilon = 1e-5)]
[Residual(256, Stride = 2, Repeat = 2, Padding = Padding.Symmetric, BatchNormEpsilon = 1e-5)]
[Residual(512, Stride = 2, Repeat = 3, Padding = Padding.Symmetric, BatchNormEpsilon = 1e-5)]
[GlobalAvgPool]
public partial class ResNet18Body64;

/// <summary>The ImageNet ResNet-18 body at 128×128.</summary>
[Model(3, 32, 32)]
[Resize(128, 128)]
[Conv2D(64, 7, Stride = 2, Padding = Padding.Symmetric, UseBias = false, BatchNorm = true, Act = Act.ReLU, BatchNormEpsilon = 1e-5)]
[MaxPool(3, Stride = 2, Padding = Padding.Symmetric)]
[Residual(64, Repeat = 2, Padding = Padding.Symmetric, BatchNormEpsilon = 1e-5)]
[Residual(128, Stride = 2, Repeat = 2, Padding = Padding.Symmetric, BatchNormEpsilon = 1e-5)]
[Residual(256, Stride = 2, Repeat = 2, Padding = Padding.Symmetric, BatchNormEpsilon = 1e-5)]
[Residual(512, Stride = 2, Repeat = 3, Padding = Padding.Symmetric, BatchNormEpsilon = 1e-5)]
[GlobalAvgPool]
public partial class ResNet18Body128;

/// <summary>The ImageNet ResNet-18 body at the file's own 224×224.</summary>
[Model(3, 32, 32)]
[Resize(224, 224)]
[Conv2D(64, 7, Stride = 2, Padding = Padding.Symmetric, UseBias = false, BatchNorm = true, Act = Act.ReLU, BatchNormEpsilon = 1e-5)]
[MaxPool(3, Stride = 2, Padding = Padding.Symmetric)]
[Residual(64, Repeat = 2, Padding = Padding.Symmetric, BatchNormEpsilon = 1e-5)]
[Residual(128, Stride = 2, Repeat = 2, Padding = Padding.Symmetric, BatchNormEpsilon = 1e-5)]
[Residual(256, Stride = 2, Repeat = 2, Padding = Padding.Symmetric, BatchNormEpsilon = 1e-5)]
[Residual(512, Stride = 2, Repeat = 3, Padding = Padding.Symmetric, BatchNormEpsilon = 1e-5)]
[GlobalAvgPool]
public partial class ResNet18Body224;

/// <summary>The new head on the body's 512 features for all ten CIFAR-10 classes (<c>-- pretrained-all</c>).</summary>
[Model(512)]
[Dense(10, Act = Act.Softmax)]
[Adam(LearningRate = 1e-3)]
[EarlyStopping(Patience = 5)]
[Train(Epochs = 40, BatchSize = 64)]
public partial class Cifar10Head;

/// <summary>The new head on the body's 512 features: cat vs dog. Trained on features computed once (the body is frozen and there is no augmentation).</summary>
[Model(512)]
[Dense(2, Act = Act.Softmax)]
[Adam(LearningRate = 1e-3)]
[Train(Epochs = 40, BatchSize = 64)]
public partial class CatDogHead;

/// <summary>Body and head as one model at 128×128: fine-tuned after the head (pretrained), or trained from scratch for the same time.</summary>
[Model(3, 32, 32)]
[Resize(128, 128)]
[Conv2D(64, 7, Stride = 2, Padding = Padding.Symmetric, UseBias = false, BatchNorm = true, Act = Act.ReLU, BatchNormEpsilon = 1e-5)]
[MaxPool(3, Stride = 2, Padding = Padding.Symmetric)]
[Residual(64, Repeat = 2, Padding = Padding.Symmetric, BatchNormEpsilon = 1e-5)]
[Residual(128, Stride = 2, Repeat = 2, Padding = Padding.Symmetric, BatchNormEpsilon = 1e-5)]
[Residual(256, Stride = 2, Repeat = 2, Padding = Padding.Symmetric, BatchNormEpsilon = 1e-5)]
[Residual(512, Stride = 2, Repeat = 3, Padding = Padding.Symmetric, BatchNormEpsilon = 1e-5)]
[GlobalAvgPool]
[Dense(2, Act = Act.Softmax)]
[Adam(LearningRate = 1e-3)]
[Train(Epochs = 10, BatchSize = 32)]
public partial class CatDogResNet18;

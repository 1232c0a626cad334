using DslNet;

namespace DslNet.Samples.Cifar10;

/// <summary>
/// Fast CIFAR-10 (`-- resnet`, issue 22): airbench's plain network, narrowed for two CPU cores. A frozen 2×2
/// patch-whitening convolution (24 filters computed from the first 5,000 training images), then three groups of conv →
/// 2×2 max pooling → batch norm → GELU → conv → batch norm → GELU (32, 128 and 128 filters; batch norms without a learned
/// scale, as airbench's), a 3×3 max pooling and the softmax layer. Flips and 2-pixel crops, label smoothing 0.2,
/// Nesterov SGD on the 1cycle schedule at batch 512 for 12 epochs; validation and test predictions averaged over the
/// image, its mirror and their ±1-pixel shifts (test-time augmentation).
/// </summary>
[Model(3, 32, 32)]
[Standardize]
[RandomFlip]
[RandomCrop(2)]
[Whiten(Act = Act.GELU)]
[Conv2D(32, 3, Padding = Padding.Same, UseBias = false)]
[MaxPool(2)]
[BatchNorm(Momentum = 0.9)]
[Activation(Act.GELU)]
[Conv2D(32, 3, Padding = Padding.Same, UseBias = false, BatchNorm = true, BatchNormScale = false, BatchNormMomentum = 0.9, Act = Act.GELU)]
[Conv2D(128, 3, Padding = Padding.Same, UseBias = false)]
[MaxPool(2)]
[BatchNorm(Momentum = 0.9)]
[Activation(Act.GELU)]
[Conv2D(128, 3, Padding = Padding.Same, UseBias = false, BatchNorm = true, BatchNormScale = false, BatchNormMomentum = 0.9, Act = Act.GELU)]
[Conv2D(128, 3, Padding = Padding.Same, UseBias = false)]
[MaxPool(2)]
[BatchNorm(Momentum = 0.9)]
[Activation(Act.GELU)]
[Conv2D(128, 3, Padding = Padding.Same, UseBias = false, BatchNorm = true, BatchNormScale = false, BatchNormMomentum = 0.9, Act = Act.GELU)]
[MaxPool(3)]
[Flatten]
[Dense(10, Act = Act.Softmax)]
[Loss(LabelSmoothing = 0.2)]
[Sgd(LearningRate = 0.4, Momentum = 0.85, Nesterov = true)]
[OneCycle(MaxRate = 0.4)]
[Train(Epochs = 12, BatchSize = 512)]
[TestTimeAugmentation(Flip = true, Translate = 1)]
public partial class FastNet;

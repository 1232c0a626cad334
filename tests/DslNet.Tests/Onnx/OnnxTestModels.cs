using DslNet;

namespace DslNet.Tests.Onnx;

// Models that together use every layer kind and every activation, declared as users declare them. They are never
// trained: the ONNX tests give them random statistics and weights and compare ONNX Runtime with Predict.
#pragma warning disable DSL202, DSL203, DSL207

/// <summary>Standardization of a multi-dimensional input, every hidden activation, a Dense's own batch norm, a standalone batch norm, dropout.</summary>
[Model(2, 3, 4)]
[Standardize]
[Dense(16, Act = Act.ReLU)]
[Dense(16, Act = Act.LeakyReLU, Alpha = 0.2)]
[Dense(16, Act = Act.PReLU)]
[Dense(16, Act = Act.ELU, Alpha = 0.5)]
[Dense(16, Act = Act.GELU, BatchNorm = true)]
[Dense(16, Act = Act.Swish)]
[Dense(16, Act = Act.ParametricSwish)]
[Dense(16, Act = Act.Mish)]
[Dense(16, Act = Act.Tanh)]
[Dense(16, Act = Act.Softplus, UseBias = false)]
[BatchNorm(Epsilon = 1e-5)]
[Activation(Act.LeakyReLU)]
[Dense(16)]
[Activation(Act.ELU)]
[Dropout(0.2)]
[Dense(5, Act = Act.Softmax)]
public partial class EveryActivationNet;

/// <summary>Standalone parametric activations after an explicit Flatten, and a one-unit sigmoid output.</summary>
[Model(3, 2)]
[Flatten]
[Dense(8)]
[Activation(Act.PReLU)]
[Dense(8)]
[Activation(Act.ParametricSwish)]
[Activation(Act.Sigmoid)]
[Dense(1, Act = Act.Sigmoid)]
public partial class StandaloneActivationNet;

/// <summary>A regression network: linear output, batch norm last.</summary>
[Model(4)]
[Dense(8, Act = Act.Tanh)]
[Dense(3)]
[BatchNorm]
public partial class LinearOutputNet;

/// <summary>Softmax as a standalone output activation layer.</summary>
[Model(4)]
[Dense(6, Act = Act.ReLU)]
[Dense(3)]
[Activation(Act.Softmax)]
public partial class SoftmaxActivationNet;
/// <summary>Convolutions with Keras' same padding (odd sizes, stride 2, dilation), valid padding, every pooling, augmentation.</summary>
[Model(3, 11, 9)]
[Standardize]
[RandomFlip]
[RandomCrop(2)]
[Conv2D(4, 3, Padding = Padding.Same, Stride = 2, Act = Act.PReLU)]
[Conv2D(5, 2, Padding = Padding.Same, Dilation = 2, UseBias = false, BatchNorm = true, Act = Act.GELU)]
[MaxPool(2, Padding = Padding.Same)]
[Conv2D(6, 2, Act = Act.Swish)]
[AvgPool(2, Stride = 1, Padding = Padding.Same)]
[BatchNorm]
[GlobalAvgPool]
[Dense(3, Act = Act.Softmax)]
public partial class ConvolutionNet;

/// <summary>Padding.Symmetric on conv and both poolings, batch norms without scale and with their own ε and momentum, bilinear resizing up and down.</summary>
[Model(3, 10, 9)]
[Resize(13, 17)]
[Conv2D(4, 7, Stride = 2, Padding = Padding.Symmetric, UseBias = false, BatchNorm = true, BatchNormScale = false, BatchNormEpsilon = 1e-5, BatchNormMomentum = 0.9, Act = Act.ReLU)]
[MaxPool(3, Stride = 2, Padding = Padding.Symmetric)]
[Resize(5, 3)]
[Conv2D(5, 3, Padding = Padding.Symmetric, Dilation = 2, Act = Act.ReLU)]
[AvgPool(3, Stride = 2, Padding = Padding.Symmetric)]
[Dense(4, BatchNorm = true, BatchNormScale = false, Act = Act.Softmax)]
public partial class SymmetricResizeNet;
#pragma warning restore DSL202, DSL203, DSL207

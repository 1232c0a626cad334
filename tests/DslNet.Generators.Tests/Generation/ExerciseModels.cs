namespace DslNet.Generators.Tests.Generation;

/// <summary>The book's exercise models (chapter 11, exercise 8) and a model that uses every activation and initializer.</summary>
internal static class ExerciseModels
{
    public const string SwishNet = """
        using DslNet;

        namespace Exercise;

        [Model(3, 32, 32)]
        [Dense(100, Repeat = 20, Act = Act.Swish, Init = Init.He)]
        [Dense(10, Act = Act.Softmax)]
        [Nadam(LearningRate = 5e-5)]
        [EarlyStopping(Patience = 20)]
        public partial class SwishNet;
        """;

    public const string BatchNormNet = """
        using DslNet;

        namespace Exercise;

        [Model(3, 32, 32)]
        [Dense(100, Repeat = 20, Act = Act.Swish, Init = Init.He, BatchNorm = true)]
        [Dense(10, Act = Act.Softmax)]
        [Nadam(LearningRate = 5e-4)]
        [EarlyStopping(Patience = 20)]
        public partial class BatchNormNet;
        """;

    public const string SeluDropoutNet = """
        using DslNet;

        namespace Exercise;

        [Model(3, 32, 32)]
        [Standardize]
        [Dense(100, Repeat = 20, Act = Act.SELU, Init = Init.LeCun)]
        [AlphaDropout(0.1)]
        [Dense(10, Act = Act.Softmax)]
        [Nadam(LearningRate = 5e-4)]
        [EarlyStopping(Patience = 20)]
        public partial class SeluDropoutNet;
        """;

    public const string EveryActivationAndInit = """
        using DslNet;

        namespace Zoo;

        [Model(8, Name = "Zoo", Seed = 7, InputsStandardized = true)]
        [Dense(16, Act = Act.Linear, Init = Init.Glorot)]
        [Dense(16, Act = Act.ReLU, Init = Init.He, L2 = 1e-4)]
        [Dense(16, Act = Act.LeakyReLU, Init = Init.HeUniform, Alpha = 0.2)]
        [Dense(16, Act = Act.PReLU, Init = Init.He)]
        [Dense(16, Act = Act.ELU, Init = Init.He, L1 = 1e-5)]
        [Dense(16, Act = Act.SELU, Init = Init.LeCun)]
        [Dense(16, Act = Act.GELU, Init = Init.LeCunUniform, MaxNorm = 1)]
        [Dense(16, Act = Act.Swish, Init = Init.GlorotNormal, BatchNorm = true, UseBias = false)]
        [Dense(16, Act = Act.ParametricSwish, Init = Init.Constant, InitValue = 0.01)]
        [Dense(16, Act = Act.Mish, Init = Init.Zeros)]
        [Dense(16, Act = Act.Tanh)]
        [BatchNorm(Momentum = 0.9, Epsilon = 1e-5)]
        [Dense(16, Act = Act.Sigmoid)]
        [Dense(16, Act = Act.Softplus)]
        [Activation(Act.PReLU)]
        [Activation(Act.ParametricSwish)]
        [Dropout(0.2)]
        [Dense(3, Act = Act.Softmax)]
        [Sgd(LearningRate = 0.01, Momentum = 0.9, Nesterov = true, ClipNorm = 1)]
        [ExponentialDecay(Steps = 1000)]
        [Train(Epochs = 5, BatchSize = 64, Shuffle = false)]
        public partial class Zoo;
        """;

    /// <summary>The attributes of the CIFAR-10 sample's convolutional network (samples/Cifar10/CnnModel.cs).</summary>
    public const string ConvNetAttributes = """
        [Model(3, 32, 32)]
        [Standardize]
        [RandomFlip]
        [Conv2D(32, 3, Padding = Padding.Same, UseBias = false, BatchNorm = true, Act = Act.ReLU)]
        [MaxPool(2)]
        [Conv2D(64, 3, Padding = Padding.Same, UseBias = false, BatchNorm = true, Act = Act.ReLU)]
        [MaxPool(2)]
        [Conv2D(128, 3, Padding = Padding.Same, UseBias = false, BatchNorm = true, Act = Act.ReLU)]
        [MaxPool(2)]
        [Conv2D(256, 3, Padding = Padding.Same, UseBias = false, BatchNorm = true, Act = Act.ReLU)]
        [GlobalAvgPool]
        [Dropout(0.2)]
        [Dense(10, Act = Act.Softmax)]
        [Sgd(LearningRate = 0.1, Momentum = 0.9, Nesterov = true)]
        [OneCycle(MaxRate = 0.1)]
        [Train(Epochs = 5, BatchSize = 128)]
        """;

    public const string ConvNet = "using DslNet;\n\nnamespace Exercise;\n\n" + ConvNetAttributes + "\npublic partial class ConvNet;\n";

    /// <summary>A self-normalizing CNN: standardized inputs, SELU convolutions with LeCun normal, strided and pooled, alpha dropout.</summary>
    public const string SeluConvNet = """
        using DslNet;

        namespace Exercise;

        [Model(3, 32, 32)]
        [Standardize]
        [Conv2D(32, 3, Padding = Padding.Same, Act = Act.SELU, Init = Init.LeCun)]
        [Conv2D(64, 3, Stride = 2, Padding = Padding.Same, Act = Act.SELU, Init = Init.LeCun)]
        [AvgPool(2)]
        [Conv2D(64, 3, Dilation = 2, Act = Act.SELU, Init = Init.LeCun, L2 = 0)]
        [GlobalAvgPool]
        [AlphaDropout(0.1)]
        [Dense(10, Act = Act.Softmax)]
        [Nadam(LearningRate = 1e-3)]
        public partial class SeluConvNet;
        """;

    /// <summary>A small fast-classifier CNN with test-time augmentation (mirror and shifts of ±1 pixel, airbench94's level 2).</summary>
    public const string AugmentedConvNet = """
        using DslNet;

        namespace Exercise;

        [Model(3, 32, 32)]
        [RandomFlip]
        [RandomCrop(2)]
        [Conv2D(16, 3, Padding = Padding.Same, Act = Act.ReLU, UseBias = false)]
        [BatchNorm]
        [MaxPool(2)]
        [GlobalAvgPool]
        [Dense(10, Act = Act.Softmax)]
        [Loss(LabelSmoothing = 0.2)]
        [TestTimeAugmentation(Flip = true, Translate = 1)]
        public partial class AugmentedConvNet;
        """;

    /// <summary>airbench's stem: standardized, flipped images through a frozen patch-whitening conv with GELU, then a conv without a batch-norm scale.</summary>
    public const string WhitenNet = """
        using DslNet;

        namespace Exercise;

        [Model(3, 32, 32)]
        [Standardize]
        [RandomFlip]
        [Whiten(Act = Act.GELU)]
        [Conv2D(64, 3, Padding = Padding.Same, UseBias = false, BatchNorm = true, BatchNormScale = false, Act = Act.GELU)]
        [MaxPool(2)]
        [GlobalAvgPool]
        [Dense(10, Act = Act.Softmax)]
        [Sgd(LearningRate = 0.05, Momentum = 0.9, Nesterov = true)]
        public partial class WhitenNet;
        """;
}

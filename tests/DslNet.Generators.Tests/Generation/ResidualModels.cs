namespace DslNet.Generators.Tests.Generation;

/// <summary>Residual networks as users declare them: the book's ResNet-34, the ResNet-18 body of the ONNX featurizer (stages 2, 2, 2, 3).</summary>
internal static class ResidualModels
{
    /// <summary>HOML chapter 14's ResNet-34 (Keras: 21,306,826 parameters, 21,289,802 trainable), in 9 attribute lines.</summary>
    public const string ResNet34 = """
        using DslNet;

        namespace Book;

        [Model(3, 224, 224)]
        [Conv2D(64, 7, Stride = 2, Padding = Padding.Same, UseBias = false, BatchNorm = true, Act = Act.ReLU)]
        [MaxPool(3, Stride = 2, Padding = Padding.Same)]
        [Residual(64, Repeat = 3)]
        [Residual(128, Stride = 2, Repeat = 4)]
        [Residual(256, Stride = 2, Repeat = 6)]
        [Residual(512, Stride = 2, Repeat = 3)]
        [GlobalAvgPool]
        [Dense(10, Act = Act.Softmax)]
        public partial class ResNet34;
        """;

    /// <summary>The ImageNet ResNet body of Microsoft.ML.DnnImageFeaturizer.ResNet18: stages 2, 2, 2, 3, torch's padding, ε 1e-5 (15,897,152 trainable).</summary>
    public const string FeaturizerBody = """
        using DslNet;

        namespace Pretrained;

        [Model(3, 224, 224)]
        [Conv2D(64, 7, Stride = 2, Padding = Padding.Symmetric, UseBias = false, BatchNorm = true, BatchNormEpsilon = 1e-5, Act = Act.ReLU)]
        [MaxPool(3, Stride = 2, Padding = Padding.Symmetric)]
        [Residual(64, Repeat = 2, Padding = Padding.Symmetric, BatchNormEpsilon = 1e-5)]
        [Residual(128, Stride = 2, Repeat = 2, Padding = Padding.Symmetric, BatchNormEpsilon = 1e-5)]
        [Residual(256, Stride = 2, Repeat = 2, Padding = Padding.Symmetric, BatchNormEpsilon = 1e-5)]
        [Residual(512, Stride = 2, Repeat = 3, Padding = Padding.Symmetric, BatchNormEpsilon = 1e-5)]
        [GlobalAvgPool]
        public partial class FeaturizerBody;
        """;
}

/// <summary>Residual units around [Block] classes: Page's ResNet-9 residual (two conv-BN-ReLU, identity), a downsampling block projected automatically.</summary>
internal static class BlockModels
{
    public const string Blocks = """
        using DslNet;

        namespace Blocks;

        /// <summary>David Page's residual block: two conv → BN → ReLU, the identity as shortcut.</summary>
        [Block]
        [Conv2D(64, 3, Padding = Padding.Same, UseBias = false, BatchNorm = true, Act = Act.ReLU, Repeat = 2)]
        public partial class PageBlock;

        /// <summary>A block that halves the map and doubles the channels: its unit gets a 1×1 projection.</summary>
        [Block]
        [Conv2D(128, 3, Stride = 2, Padding = Padding.Same, UseBias = false, BatchNorm = true, Act = Act.ReLU)]
        [Conv2D(128, 3, Padding = Padding.Same, UseBias = false, BatchNorm = true)]
        public partial class DownBlock;
        """;

    public const string BlockNet = """
        using DslNet;

        namespace Blocks;

        [Model(3, 32, 32)]
        [Conv2D(64, 3, Padding = Padding.Same, UseBias = false, BatchNorm = true, Act = Act.ReLU)]
        [Residual(typeof(PageBlock))]
        [Residual(typeof(DownBlock), Act = Act.ReLU)]
        [GlobalAvgPool]
        [Dense(10, Act = Act.Softmax)]
        public partial class BlockNet;
        """;
}

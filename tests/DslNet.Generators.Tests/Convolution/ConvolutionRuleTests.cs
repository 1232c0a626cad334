using Xunit;
using static DslNet.Generators.Tests.Diagnostics.DiagnosticAssert;

namespace DslNet.Generators.Tests.Convolution;

/// <summary>DSL006 and DSL207–DSL209 at their exact locations, each with a close case that does not trigger; the DSL1xx rules on conv SELU nets.</summary>
public sealed class ConvolutionRuleTests
{
    private const string Output = "[Dense(10, Act = Act.Softmax)]";

    [Fact]
    public Task DSL006_KernelLargerThanTheMap() => VerifyAsync(ModelSource($"[Model(3, 4, 4)]\n[Conv2D(8, {{|DSL006:5|}}, Act = Act.ReLU)]\n{Output}"));

    [Fact]
    public Task DSL006_NotWhenTheKernelFitsExactly() => VerifyAsync(ModelSource($"[Model(3, 5, 5)]\n[Conv2D(8, 5, Act = Act.ReLU)]\n{Output}"));

    [Fact]
    public Task DSL006_NotWhenSamePaddingKeepsTheMap() => VerifyAsync(ModelSource($"[Model(3, 4, 4)]\n[Conv2D(8, 7, Padding = Padding.Same, Act = Act.ReLU)]\n{Output}"));

    [Fact]
    public Task DSL006_DilatedKernelSpansTooFar() => VerifyAsync(ModelSource($"[Model(3, 6, 6)]\n[Conv2D(8, {{|DSL006:3|}}, Dilation = 3, Act = Act.ReLU)]\n{Output}"));

    [Fact]
    public Task DSL006_NotWhenTheDilatedKernelFits() => VerifyAsync(ModelSource($"[Model(3, 7, 7)]\n[Conv2D(8, 3, Dilation = 3, Act = Act.ReLU)]\n{Output}"));

    [Fact]
    public Task DSL006_PoolingTheMapToNothing() => VerifyAsync(ModelSource(
        $"[Model(3, 8, 8)]\n[Conv2D(8, 3, Act = Act.ReLU)]\n[MaxPool(2)]\n[MaxPool(2)]\n[AvgPool({{|DSL006:2|}})]\n{Output}"));

    [Fact]
    public Task DSL006_NotWhenTheLastPoolStillFits() => VerifyAsync(ModelSource(
        $"[Model(3, 10, 10)]\n[Conv2D(8, 3, Act = Act.ReLU)]\n[MaxPool(2)]\n[MaxPool(2)]\n[AvgPool(2)]\n{Output}"));

    [Fact]
    public Task DSL006_ConvAfterAFlatVector() => VerifyAsync(ModelSource(
        $"[Model(3, 8, 8)]\n[Dense(32, Act = Act.ReLU)]\n[{{|DSL006:Conv2D(8, 3)|}}]\n{Output}"));

    [Fact]
    public Task DSL006_ConvOnAOneDimensionalInput() => VerifyAsync(ModelSource($"[Model(64)]\n[{{|DSL006:Conv2D(8, 3, Act = Act.ReLU)|}}]\n{Output}"));

    [Fact]
    public Task DSL006_ResizeOfAFlatVector() => VerifyAsync(ModelSource(
        $"[Model(3, 8, 8)]\n[Conv2D(8, 3, Act = Act.ReLU)]\n[GlobalAvgPool]\n[{{|DSL006:Resize(16, 16)|}}]\n{Output}"));

    [Fact]
    public Task DSL006_SymmetricPaddingKeepsALargeKernelInside() => VerifyAsync(ModelSource(
        $"[Model(3, 4, 4)]\n[Conv2D(8, 7, Padding = Padding.Symmetric, Act = Act.ReLU)]\n[Conv2D(8, {{|DSL006:7|}}, Stride = 2, Act = Act.ReLU)]\n{Output}"));

    [Fact]
    public Task DSL002_ResizeAndBatchNormArguments() => VerifyAsync(ModelSource(
        $"[Model(3, 8, 8)]\n[Resize({{|DSL002:0|}}, 4)]\n[Conv2D(8, 3, BatchNorm = true, UseBias = false, {{|DSL002:BatchNormEpsilon = 0|}}, {{|DSL002:BatchNormMomentum = 1.0|}}, Act = Act.ReLU)]\n{Output}"));

    [Fact]
    public Task DSL006_GlobalAvgPoolTwice() => VerifyAsync(ModelSource(
        $"[Model(3, 8, 8)]\n[Conv2D(8, 3, Act = Act.ReLU)]\n[GlobalAvgPool]\n[{{|DSL006:GlobalAvgPool|}}]\n{Output}"));

    [Fact]
    public Task DSL006_AugmentationOfAVector() => VerifyAsync(ModelSource($"[Model(64)]\n[{{|DSL006:RandomCrop(4)|}}]\n{Output}"));

    [Fact]
    public Task DSL006_NotForAugmentationOfAnImage() => VerifyAsync(ModelSource(
        $"[Model(3, 8, 8)]\n[RandomFlip]\n[RandomCrop(2)]\n[Conv2D(8, 3, Act = Act.ReLU)]\n{Output}"));

    [Fact]
    public async Task DSL006_Message()
    {
        var diagnostics = await VerifyAsync(ModelSource($"[Model(3, 4, 4)]\n[Conv2D(8, 3, Act = Act.ReLU)]\n[Conv2D(16, {{|DSL006:3|}}, Stride = 2, Act = Act.ReLU)]\n{Output}"));
        Assert.Equal(
            "layer 2 (Conv2D 16, 3×3, stride 2) receives (8, 2, 2), but its 3×3 kernel needs a map of at least 3×3 with Padding.Valid; " +
            "use Padding.Same, a smaller kernel, or less downsampling before it",
            diagnostics.Single("DSL006").GetMessage());
    }

    [Fact]
    public async Task DSL006_MessageForAFlatInput()
    {
        var diagnostics = await VerifyAsync(ModelSource($"[Model(3, 8, 8)]\n[Flatten]\n[{{|DSL006:MaxPool(2)|}}]\n{Output}"));
        Assert.Equal(
            "layer 2 (MaxPool 2) receives (192), but it needs a feature map (C, H, W), and this is a flat vector (a Dense, Flatten or GlobalAvgPool " +
            "before it, or a one-dimensional [Model] input); move it before the layers that flatten, or declare [Model(C, H, W)]",
            diagnostics.Single("DSL006").GetMessage());
    }

    [Fact]
    public Task DSL207_BuiltInBatchNormAfterABias() => VerifyAsync(ModelSource($"[Model(3, 8, 8)]\n[{{|DSL207:Conv2D(8, 3, BatchNorm = true, Act = Act.ReLU)|}}]\n{Output}"));

    [Fact]
    public Task DSL207_AtTheWrittenUseBias() => VerifyAsync(ModelSource($"[Model(16)]\n[Dense(8, BatchNorm = true, {{|DSL207:UseBias = true|}}, Act = Act.ReLU)]\n{Output}"));

    [Fact]
    public Task DSL207_LinearConvFollowedByBatchNorm() => VerifyAsync(ModelSource(
        $"[Model(3, 8, 8)]\n[{{|DSL207:Conv2D(8, 3)|}}]\n[BatchNorm]\n[Activation(Act.ReLU)]\n{Output}"));

    [Fact]
    public Task DSL207_NotWithoutBias() => VerifyAsync(ModelSource(
        $"[Model(3, 8, 8)]\n[Conv2D(8, 3, UseBias = false)]\n[BatchNorm]\n[Activation(Act.ReLU)]\n[Conv2D(8, 3, UseBias = false, BatchNorm = true, Act = Act.ReLU)]\n{Output}"));

    [Fact]
    public Task DSL207_NotWhenTheActivationComesBeforeTheNorm() => VerifyAsync(ModelSource($"[Model(3, 8, 8)]\n[Conv2D(8, 3, Act = Act.ReLU)]\n[BatchNorm]\n{Output}"));

    [Fact]
    public async Task DSL207_Message()
    {
        var diagnostics = await VerifyAsync(ModelSource($"[Model(3, 8, 8)]\n[{{|DSL207:Conv2D(8, 3, Repeat = 2)|}}]\n[BatchNorm]\n[Activation(Act.ReLU)]\n{Output}"));
        Assert.Equal(
            "layer 1 (Conv2D 8, 3×3 × 2) adds a bias that the [BatchNorm] of layer 2 (BatchNorm) removes again (it subtracts the batch mean, " +
            "and its own shift β takes the bias's role): set UseBias = false",
            diagnostics.Single("DSL207").GetMessage());
    }

    [Fact]
    public Task DSL208_BatchNormAfterDropout() => VerifyAsync(ModelSource(
        $"[Model(3, 8, 8)]\n[Conv2D(8, 3, UseBias = false, BatchNorm = true, Act = Act.ReLU)]\n[{{|DSL208:Dropout(0.3)|}}]\n[Conv2D(8, 3, UseBias = false, BatchNorm = true, Act = Act.ReLU)]\n{Output}"));

    [Fact]
    public Task DSL208_StandaloneBatchNormAfterDropout() => VerifyAsync(ModelSource($"[Model(16)]\n[Dense(8, Act = Act.ReLU)]\n[{{|DSL208:Dropout(0.5)|}}]\n[BatchNorm]\n{Output}"));

    [Fact]
    public Task DSL208_NotWhenDropoutFollowsTheLastBatchNorm() => VerifyAsync(ModelSource(
        $"[Model(3, 8, 8)]\n[Conv2D(8, 3, UseBias = false, BatchNorm = true, Act = Act.ReLU)]\n[Conv2D(8, 3, UseBias = false, BatchNorm = true, Act = Act.ReLU)]\n[GlobalAvgPool]\n[Dropout(0.3)]\n{Output}"));

    [Fact]
    public async Task DSL208_Message()
    {
        var diagnostics = await VerifyAsync(ModelSource($"[Model(16)]\n[Dense(8, Act = Act.ReLU)]\n[{{|DSL208:Dropout(0.5)|}}]\n[Dense(8, UseBias = false, BatchNorm = true, Act = Act.ReLU)]\n{Output}"));
        Assert.Equal(
            "layer 2 (Dropout 0.5) comes before layer 3 (Dense 8, ReLU) (BatchNorm = true); batch norm then learns statistics of dropped-out activations " +
            "that inference never sees (variance shift): move the dropout after the last batch-normalized layer",
            diagnostics.Single("DSL208").GetMessage());
    }

    [Fact]
    public Task DSL209_HugeDenseAfterFullResolutionConvs() => VerifyAsync(ModelSource(
        "[Model(3, 32, 32)]\n[Conv2D(32, 3, Padding = Padding.Same, Act = Act.ReLU, Repeat = 2)]\n[{|DSL209:Dense(256, Act = Act.ReLU)|}]\n" + Output));

    [Fact]
    public Task DSL209_NotAfterPooling() => VerifyAsync(ModelSource(
        "[Model(3, 32, 32)]\n[Conv2D(32, 3, Padding = Padding.Same, Act = Act.ReLU, Repeat = 2)]\n[MaxPool(4)]\n[Dense(256, Act = Act.ReLU)]\n" + Output));

    [Fact]
    public Task DSL209_NotAfterAStridedConv() => VerifyAsync(ModelSource(
        "[Model(3, 32, 32)]\n[Conv2D(32, 3, Padding = Padding.Same, Act = Act.ReLU)]\n[Conv2D(32, 3, Stride = 2, Padding = Padding.Same, Act = Act.ReLU)]\n[Dense(256, Act = Act.ReLU)]\n" + Output));

    [Fact]
    public Task DSL209_NotForASmallDense() => VerifyAsync(ModelSource(
        "[Model(3, 32, 32)]\n[Conv2D(8, 3, Padding = Padding.Same, Act = Act.ReLU)]\n" + Output));

    [Fact]
    public async Task DSL209_Message()
    {
        var diagnostics = await VerifyAsync(ModelSource(
            "[Model(3, 32, 32)]\n[Conv2D(32, 3, Padding = Padding.Same, Act = Act.ReLU)]\n[Flatten]\n[{|DSL209:Dense(100, Act = Act.ReLU)|}]\n" + Output));
        Assert.Equal(
            "layer 3 (Dense 100, ReLU) flattens a 32×32×32 map from conv layers that never downsample, so its kernel has 3,276,800 weights (100% of the model's " +
            "parameters); add MaxPool or Stride = 2 between the conv layers, or GlobalAvgPool before the Dense",
            diagnostics.Single("DSL209").GetMessage());
    }

    [Fact]
    public Task DSL101_ConvSeluNotLeCun() => VerifyAsync(ModelSource(
        $"[Model(3, 8, 8)]\n[Standardize]\n[Conv2D(8, 3, Act = Act.SELU, {{|DSL101:Init = Init.He|}})]\n{Output}"));

    [Fact]
    public Task DSL102_ConvSeluWithBatchNorm() => VerifyAsync(ModelSource(
        $"[Model(3, 8, 8)]\n[Standardize]\n[Conv2D(8, 3, Act = Act.SELU, UseBias = false, {{|DSL102:BatchNorm = true|}})]\n{Output}"));

    [Fact]
    public Task DSL103_DSL104_ConvSeluWithDropoutAndL2() => VerifyAsync(ModelSource(
        $"[Model(3, 8, 8)]\n[Standardize]\n[Conv2D(8, 3, Act = Act.SELU, {{|DSL104:L2 = 0.01|}})]\n[GlobalAvgPool]\n[{{|DSL103:Dropout(0.2)|}}]\n{Output}"));

    [Fact]
    public Task DSL105_ConvSeluNotStandardized() => VerifyAsync(ModelSource(
        $"[Model(3, 8, 8)]\n[Conv2D(8, 3, Act = Act.SELU)]\n{Output}", "public partial class {|DSL105:Net|}"));

    [Fact]
    public Task DSL106_ConvSeluMixedWithReLU() => VerifyAsync(ModelSource(
        $"[Model(3, 8, 8)]\n[Standardize]\n[Conv2D(8, 3, Act = Act.SELU)]\n[Conv2D(8, 3, {{|DSL106:Act = Act.ReLU|}})]\n{Output}"));

    [Fact]
    public Task DSL1xx_NotForASelfNormalizingCnn() => VerifyAsync(ModelSource(
        $"[Model(3, 16, 16)]\n[Standardize]\n[Conv2D(16, 3, Act = Act.SELU, Init = Init.LeCun, Repeat = 2)]\n[MaxPool(2)]\n[Conv2D(32, 3, Act = Act.SELU, Padding = Padding.Same)]\n[GlobalAvgPool]\n[AlphaDropout(0.1)]\n{Output}"));
}

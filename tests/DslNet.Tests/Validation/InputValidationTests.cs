using DslNet.Tests.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DslNet.Tests.Validation;

/// <summary>
/// Every bad input is one clear error before the first training step (nothing printed, no weight changed), naming
/// the set and the problem, without libtorch's C++ frames; what Keras accepts trains exactly like the canonical form.
/// </summary>
[Collection(TorchRandomCollection.Name)]
public sealed class InputValidationTests
{
    private static (Dataset Train, Dataset Validation) Classes() => SyntheticData.Blobs(classes: 3, features: 4, perClassTrain: 20, perClassValidation: 8);

    private static (Dataset Train, Dataset Validation) Binary()
    {
        var (train, validation) = SyntheticData.Blobs(classes: 2, features: 4, perClassTrain: 20, perClassValidation: 8);
        return (new Dataset(train.Features, train.Labels.to_type(ScalarType.Float32)), new Dataset(validation.Features, validation.Labels.to_type(ScalarType.Float32)));
    }

    private static (Dataset Train, Dataset Validation) Regression()
    {
        var (train, validation) = SyntheticData.Blobs(classes: 2, features: 4, perClassTrain: 20, perClassValidation: 8);
        var weights = torch.tensor(new float[] { 1, -2, 0.5f, 3, 0, 1, -1, 2 }).reshape(4, 2);
        return (new Dataset(train.Features, train.Features.matmul(weights)), new Dataset(validation.Features, validation.Features.matmul(weights)));
    }

    /// <summary>
    /// Runs <paramref name="fit"/>, which must throw before training; returns the message. Every entry of the model's state
    /// (parameters and buffers: batch-norm and [Standardize] statistics) must be bit for bit as before.
    /// </summary>
    internal static string FailsBeforeTraining<TModel>(TModel model, Func<TModel, FitOptions, object> fit)
        where TModel : nn.Module
    {
        var before = SnapshotState(model);
        var output = new StringWriter();
        var error = Assert.ThrowsAny<ArgumentException>(() => fit(model, new FitOptions { Output = output }));
        Assert.Equal(string.Empty, output.ToString());
        AssertStateIs(model, before);

        Assert.DoesNotContain("c10::", error.Message);
        Assert.DoesNotContain("Exception raised from", error.Message);
        Assert.Null(error.InnerException);
        return error.Message;
    }

    /// <summary>A copy of every parameter and buffer of <paramref name="model"/>, by state name, for <see cref="AssertStateIs"/>.</summary>
    internal static List<(string Key, Tensor Value)> SnapshotState(nn.Module model) =>
        model.state_dict().Select(entry => (entry.Key, Value: entry.Value.detach().clone())).ToList();

    /// <summary>Every parameter and buffer of <paramref name="model"/> equals, bit for bit, the saved one.</summary>
    internal static void AssertStateIs(nn.Module model, IReadOnlyList<(string Key, Tensor Value)> saved)
    {
        var now = model.state_dict().ToList();
        Assert.Equal(saved.Select(entry => entry.Key), now.Select(entry => entry.Key));
        foreach (var ((name, value), (_, expected)) in now.Zip(saved))
        {
            var same = value.shape.SequenceEqual(expected.shape) && value.dtype == expected.dtype
                && value.eq(expected).logical_or(value.isnan().logical_and(expected.isnan())).all().item<bool>();
            Assert.True(same, $"'{name}' changed");
        }
    }

    private static Dataset WithFeature(Dataset data, int sample, int feature, float value)
    {
        var features = data.Features.clone();
        features[sample, feature] = torch.tensor(value);
        return new Dataset(features, data.Labels);
    }

    [Fact]
    public void NaNInTheValidationFeaturesIsRefusedNamingTheValidationSet()
    {
        var (train, validation) = Classes();
        using var model = new ThreeClassNet();
        var message = FailsBeforeTraining(model, (m, o) => m.Fit(train, WithFeature(validation, 5, 2, float.NaN), o));
        Assert.Equal(
            "ThreeClassNet: the validation features contain 1 NaN value in 1 of 24 samples (the first is sample 5). They would make the loss (and statistics " +
            "such as [Standardize]'s mean) NaN; remove those samples or replace the missing values (e.g. with the feature's mean) first. (Parameter 'validation')",
            message);
    }

    [Fact]
    public void NaNAndInfinityInTheTrainingFeaturesAreCounted()
    {
        var (train, validation) = Classes();
        using var model = new ThreeClassNet();
        var bad = WithFeature(WithFeature(WithFeature(train, 3, 0, float.NaN), 3, 1, float.NaN), 40, 0, float.NegativeInfinity);
        var message = FailsBeforeTraining(model, (m, o) => m.Fit(bad, validation, o));
        Assert.StartsWith("ThreeClassNet: the training features contain 2 NaN and 1 infinite values in 2 of 60 samples (the first is sample 3).", message);
    }

    [Fact]
    public void StandardizeNeverComputesStatisticsFromNaN()
    {
        var features = torch.randn(40, 2, 3);
        features[7, 1, 2] = torch.tensor(float.NaN);
        var train = new Dataset(features, torch.arange(40, dtype: ScalarType.Int64).remainder(3));
        using var model = new StandardizedNet();
        var message = FailsBeforeTraining(model, (m, o) => m.Fit(train, null, o));
        Assert.StartsWith("StandardizedNet: the training features contain 1 NaN value in 1 of 40 samples (the first is sample 7).", message);
        var statistics = model.buffers().ToList();
        Assert.All(statistics, buffer => Assert.True(buffer.isfinite().all().ToBoolean()));
        Assert.Equal(0.0, statistics[0].abs().sum().ToDouble());
    }

    /// <summary>
    /// [Standardize] adapts only once every input check has passed: a call refused for its labels leaves the statistics of
    /// the last good call (FailsBeforeTraining compares every buffer; before the fix this failed on 'standardize.mean').
    /// </summary>
    [Fact]
    public void Standardize_statistics_are_untouched_by_a_call_refused_for_its_labels()
    {
        var good = new Dataset(torch.randn(40, 2, 3), torch.arange(40, dtype: ScalarType.Int64).remainder(3));
        using var model = new StandardizedNet();
        model.Fit(good, null, new FitOptions { Epochs = 1, Progress = false });
        var other = torch.randn(40, 2, 3).mul(5).add(3);

        var message = FailsBeforeTraining(model, (m, o) => m.Fit(new Dataset(other, torch.full(40, 7L)), null, o));

        Assert.StartsWith("StandardizedNet: the largest training label", message);
    }

    [Fact]
    public void MinusOnePlusOneLabelsForASigmoidOutputAreRefused()
    {
        var (train, validation) = Binary();
        using var model = new BinaryNet();
        var signs = new Dataset(train.Features, train.Labels.mul(2).sub(1));
        var message = FailsBeforeTraining(model, (m, o) => m.Fit(signs, validation, o));
        Assert.Equal(
            "BinaryNet: the training labels range from -1 to 1, but binary cross-entropy (a sigmoid output) needs labels 0 or 1 (or probabilities between 0 and 1). " +
            "They look like −1/+1 labels: pass (labels + 1) / 2. (Parameter 'train')",
            message);
    }

    [Fact]
    public void AccuracyMonitoredOnARegressionModelIsRefused()
    {
        var (train, validation) = Regression();
        var single = new Dataset(train.Features, train.Labels.narrow(1, 0, 1));
        using var model = new AccuracyWatchingRegressionNet();
        var message = FailsBeforeTraining(model, (m, o) => m.Fit(single, new Dataset(validation.Features, validation.Labels.narrow(1, 0, 1)), o));
        Assert.Equal(
            "AccuracyWatchingRegressionNet has no accuracy (its loss is a regression loss), but early stopping ([EarlyStopping(Monitor = Monitored.ValAccuracy)]) " +
            "watches ValAccuracy, which would never improve. Monitor Monitored.ValLoss instead (DSL211 reports this at compile time).",
            message);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void ANonPositiveLearningRateIsRefusedNamingTheOption(double rate)
    {
        var (train, validation) = Regression();
        using var scheduled = new RegressionNet();
        var message = FailsBeforeTraining(scheduled, (m, o) => m.Fit(train, validation, o with { LearningRate = rate }));
        Assert.StartsWith("RegressionNet: FitOptions.LearningRate must be a positive, finite number, but it is ", message);
        Assert.DoesNotContain("initialRate", message);

        var (classes, classValidation) = Classes();
        using var plain = new ThreeClassNet();
        Assert.Contains("FitOptions.LearningRate", FailsBeforeTraining(plain, (m, o) => m.Fit(classes, classValidation, o with { LearningRate = rate })));
    }

    [Fact]
    public void ALabelEqualToTheNumberOfClassesIsRefusedWithTheLargestLabel()
    {
        var (train, validation) = Classes();
        var labels = train.Labels.clone();
        labels[10] = torch.tensor(3L);
        using var model = new ThreeClassNet();
        var message = FailsBeforeTraining(model, (m, o) => m.Fit(new Dataset(train.Features, labels), validation, o));
        Assert.Equal(
            "ThreeClassNet: the largest training label is 3, but the model's output has 3 classes, so labels go from 0 to 2. " +
            "Give the output layer 4 units, or map the labels to 0…2 (labels counted from 1 need labels - 1). (Parameter 'train')",
            message);
    }

    [Fact]
    public void NegativeAndFractionalAndOneHotClassLabelsAreRefused()
    {
        var (train, validation) = Classes();
        using var model = new ThreeClassNet();
        var negative = train.Labels.clone();
        negative[0] = torch.tensor(-1L);
        Assert.Contains("the training labels include -1", FailsBeforeTraining(model, (m, o) => m.Fit(new Dataset(train.Features, negative), validation, o)));
        var fractional = validation.Labels.to_type(ScalarType.Float32).add(0.5);
        Assert.Contains("the validation labels are Float32 values that are not all whole numbers",
            FailsBeforeTraining(model, (m, o) => m.Fit(train, new Dataset(validation.Features, fractional), o)));
        var oneHot = nn.functional.one_hot(train.Labels, 3);
        Assert.Contains("They look one-hot encoded", FailsBeforeTraining(model, (m, o) => m.Fit(new Dataset(train.Features, oneHot), validation, o)));
    }

    [Fact]
    public void AWrongShapedValidationSetFailsBeforeTheFirstEpochNamingIt()
    {
        var (train, validation) = Classes();
        using var model = new ThreeClassNet();
        var wide = new Dataset(torch.cat([validation.Features, validation.Features], 1), validation.Labels);
        var message = FailsBeforeTraining(model, (m, o) => m.Fit(train, wide, o));
        Assert.Equal(
            "ThreeClassNet: the validation features have shape [24, 8], but the model takes samples of shape [4], i.e. features of shape [N, 4]. (Parameter 'validation')",
            message);
    }

    private const string ChannelsLastAdvice =
        "but the model takes samples of shape [3, 8, 8], i.e. features of shape [N, 3, 8, 8]. The data is channels-last ([N, H, W, C] = [N, 8, 8, 3], " +
        "as Keras and NumPy store images), but {0} takes channels first ([N, C, H, W]): pass features.permute(0, 3, 1, 2). " +
        "(A reshape to [N, 3, 8, 8] would scramble every image.)";

    private static Dataset ChannelsLastImages() =>
        new(torch.rand(20, 8, 8, 3, dtype: ScalarType.Float64) * 255, torch.arange(20, dtype: ScalarType.Int64).remainder(3));

    [Fact]
    public void ChannelsLastImagesGetOneMessageNamingTheModelWithPermuteNotReshape()
    {
        var images = ChannelsLastImages();
        using var model = new SmallImageNet();

        var fit = FailsBeforeTraining(model, (m, o) => m.Fit(images, null, o));
        var evaluate = Assert.Throws<ArgumentException>(() => model.Evaluate(images)).Message;
        var predict = Assert.Throws<ArgumentException>(() => model.Predict(images.Features)).Message;
        var call = Assert.Throws<ArgumentException>(() => model.call(images.Features.to_type(ScalarType.Float32))).Message;

        Assert.Equal("SmallImageNet: the training features have shape [20, 8, 8, 3], " + string.Format(System.Globalization.CultureInfo.InvariantCulture, ChannelsLastAdvice, "SmallImageNet") + " (Parameter 'train')", fit);
        Assert.StartsWith("SmallImageNet: the evaluation features have shape [20, 8, 8, 3], ", evaluate);
        Assert.StartsWith("SmallImageNet: the prediction inputs have shape [20, 8, 8, 3], ", predict);
        Assert.StartsWith("SmallImageNet expects input of shape [N, 3, 8, 8]", call);
        foreach (var message in new[] { fit, evaluate, predict, call })
        {
            Assert.Contains("channels-last", message);
            Assert.Contains("features.permute(0, 3, 1, 2)", message);
            Assert.DoesNotContain("reshape(-1", message);
        }

        var permuted = new Dataset(images.Features.permute(0, 3, 1, 2), images.Labels);
        model.Fit(permuted, options: new FitOptions { Progress = false });
    }

    [Fact]
    public void StandardizeGivesTheSameMessageNamingTheModel()
    {
        var images = ChannelsLastImages();
        using var model = new StandardizedImageNet();

        var message = FailsBeforeTraining(model, (m, o) => m.Fit(images, null, o));

        Assert.Equal(
            "StandardizedImageNet: the training features have shape [20, 8, 8, 3], " +
            string.Format(System.Globalization.CultureInfo.InvariantCulture, ChannelsLastAdvice, "StandardizedImageNet") + " (Parameter 'train')",
            message);
        var wrong = FailsBeforeTraining(model, (m, o) => m.Fit(new Dataset(torch.rand(20, 3, 8, 7), images.Labels), null, o));
        Assert.StartsWith("StandardizedImageNet: the training features have shape [20, 3, 8, 7], but the model takes samples of shape [3, 8, 8]", wrong);
    }

    [Fact]
    public void NoShapeMessageSuggestsAReshapeThatReordersValues()
    {
        using var model = new SmallImageNet();
        var labels = torch.arange(20, dtype: ScalarType.Int64).remainder(3);
        string Message(Tensor features) => FailsBeforeTraining(model, (m, o) => m.Fit(new Dataset(features, labels), null, o));

        var transposed = Message(torch.rand(20, 3, 8, 8).transpose(2, 3).reshape(20, 8, 3, 8));
        var flat = Message(torch.rand(20, 192));

        Assert.DoesNotContain("reshape(", transposed);
        Assert.Contains("permute", transposed);
        Assert.Contains("features.reshape(-1, 3, 8, 8) if it was flattened channels first", flat);
        Assert.Contains("features.reshape(-1, 8, 8, 3).permute(0, 3, 1, 2) if it was flattened channels-last", flat);
    }

    [Fact]
    public void AnEmptyValidationSetIsRefused()
    {
        var (train, validation) = Classes();
        using var model = new ThreeClassNet();
        var message = FailsBeforeTraining(model, (m, o) => m.Fit(train, validation.Take(0), o));
        Assert.Equal("ThreeClassNet: the validation set is empty (features [0, 4]). Pass a validation set with at least one sample, or no validation set at all. (Parameter 'validation')", message);
    }

    [Fact]
    public void RegressionTargetsMustMatchTheOutputWidth()
    {
        var (train, validation) = Regression();
        using var model = new RegressionNet();
        var message = FailsBeforeTraining(model, (m, o) => m.Fit(new Dataset(train.Features, train.Labels.narrow(1, 0, 1)), validation, o));
        Assert.Equal(
            "RegressionNet: the training targets have shape [40, 1] (1 value per sample), but the model has 2 output units, so they must have shape [40, 2]. (Parameter 'train')",
            message);
        var nan = validation.Labels.clone();
        nan[2, 1] = torch.tensor(float.PositiveInfinity);
        Assert.StartsWith("RegressionNet: the validation targets contain 1 infinite value in 1 of 16 samples (the first is sample 2).",
            FailsBeforeTraining(model, (m, o) => m.Fit(train, new Dataset(validation.Features, nan), o)));
    }

    [Fact]
    public void EvaluatePredictAndTheFinderValidateTheirInputsToo()
    {
        var (train, validation) = Classes();
        using var model = new ThreeClassNet();
        Assert.StartsWith("ThreeClassNet: the evaluation features contain 1 NaN",
            Assert.Throws<ArgumentException>(() => model.Evaluate(WithFeature(validation, 0, 0, float.NaN))).Message);
        Assert.StartsWith("ThreeClassNet: the prediction inputs have shape [5, 3], but the model takes samples of shape [4]",
            Assert.Throws<ArgumentException>(() => model.Predict(torch.zeros(5, 3))).Message);
        var labels = train.Labels.clone();
        labels[0] = torch.tensor(7L);
        Assert.StartsWith("ThreeClassNet: the largest training label is 7",
            Assert.Throws<ArgumentException>(() => model.FindLearningRate(new Dataset(train.Features, labels))).Message);
        Assert.True(model.Predict(validation.Features).allclose(model.Predict(validation.Features.to_type(ScalarType.Float64)), rtol: 0, atol: 0), "float64 inputs predict as float32");
    }

    [Fact]
    public void KerasLabelAndFeatureVariantsTrainExactlyLikeTheCanonicalForm()
    {
        var (train, validation) = Classes();
        History Run(Dataset t, Dataset v)
        {
            using var model = new ThreeClassNet();
            return model.Fit(t, v, new FitOptions { Progress = false });
        }

        var canonical = Run(train, validation).Rows.Select(r => (r.Loss, r.ValLoss, r.Accuracy)).ToList();
        var int32 = Run(new Dataset(train.Features, train.Labels.to_type(ScalarType.Int32)), new Dataset(validation.Features, validation.Labels.to_type(ScalarType.Int32)));
        var column = Run(new Dataset(train.Features, train.Labels.unsqueeze(1)), new Dataset(validation.Features, validation.Labels.unsqueeze(1)));
        var float64 = Run(new Dataset(train.Features.to_type(ScalarType.Float64), train.Labels), new Dataset(validation.Features.to_type(ScalarType.Float64), validation.Labels));
        Assert.Equal(canonical, int32.Rows.Select(r => (r.Loss, r.ValLoss, r.Accuracy)));
        Assert.Equal(canonical, column.Rows.Select(r => (r.Loss, r.ValLoss, r.Accuracy)));
        Assert.Equal(canonical, float64.Rows.Select(r => (r.Loss, r.ValLoss, r.Accuracy)));
    }

    [Fact]
    public void BinaryLabelsAsInt64ColumnTrainLikeFloat32()
    {
        var (train, validation) = Binary();
        History Run(Dataset t)
        {
            using var model = new BinaryNet();
            return model.Fit(t, validation, new FitOptions { Progress = false });
        }

        Assert.Equal(
            Run(train).Rows.Select(r => r.Loss),
            Run(new Dataset(train.Features, train.Labels.to_type(ScalarType.Int64).unsqueeze(1))).Rows.Select(r => r.Loss));
    }

    [Fact]
    public void TrainingTimeErrorsNameTheModel()
    {
        var (train, _) = Classes();
        using var model = new ThreeClassNet();
        using var oneCycle = new DslNet.Tests.Models.BinaryNet();
        var tiny = new Dataset(torch.randn(4, 6), torch.tensor(new float[] { 0, 1, 0, 1 }));

        var tooShort = Assert.ThrowsAny<ArgumentException>(() => oneCycle.Fit(tiny, options: new FitOptions { Epochs = 1, Progress = false })).Message;
        var rates = Assert.ThrowsAny<ArgumentException>(() => model.FindLearningRate(train, minRate: 0.1, maxRate: 0.01)).Message;
        var epochs = Assert.ThrowsAny<ArgumentException>(() => model.FindLearningRate(train, epochs: 0)).Message;

        Assert.StartsWith("BinaryNet: [OneCycle] needs at least 2 training steps to rise and fall, but 4 samples in batches of 8 for 1 epoch make 1 training step;", tooShort);
        Assert.StartsWith("ThreeClassNet: the learning-rate search goes from minRate up to maxRate", rates);
        Assert.StartsWith("ThreeClassNet: the learning-rate search needs at least 1 epoch", epochs);
    }

    [Fact]
    public void ANaNLossBeforeAnyUpdatePointsAtTheDataNotTheLearningRate()
    {
        var (train, validation) = Classes();
        using var model = new ThreeClassNet();
        // Finite features so large that the first forward pass overflows: the loss is NaN before any update.
        var huge = new Dataset(torch.full_like(train.Features, 3e38f), train.Labels);
        var history = model.Fit(huge, validation, new FitOptions { Progress = false });
        Assert.Equal(
            "ThreeClassNet stopped training: the loss was already NaN at epoch 1, batch 1, before any update, so the learning rate is not the cause. " +
            "No epoch had finished, so the weights are those before that batch. Look at the data and the starting weights: features so large that the loss " +
            "overflows (standardize them, e.g. with [Standardize]), or weights loaded from a file that holds NaN.",
            history.StopReason);
        Assert.DoesNotContain("Lower the learning rate", history.StopReason);
    }
}

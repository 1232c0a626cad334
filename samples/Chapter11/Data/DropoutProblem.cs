namespace DslNet.Samples.Chapter11.Data;

/// <summary>The problem of the two dropout experiments: 10 overlapping blobs, 10 informative of 40 features.</summary>
internal static class DropoutProblem
{
    public const string Description = "10 overlapping Gaussian blobs, 10 informative of 40 features";

    public static (Dataset Train, Dataset Valid) Sample() =>
        new Blobs(Classes: 10, Features: 40, Informative: 10, Spread: 1.0, Noise: 1.0).Sample(300, 200);
}

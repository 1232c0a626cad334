namespace DslNet.Samples.Chapter11.Data;

/// <summary>The problem of the symmetry and momentum experiments: 4 well-separated blobs in 20 dimensions.</summary>
internal static class FourBlobs
{
    public const string Description = "4 Gaussian blobs in 20 dimensions";

    public static (Dataset Train, Dataset Valid) Sample() =>
        new Blobs(Classes: 4, Features: 20, Informative: 20, Spread: 1.0, Noise: 1.0).Sample(250, 250);
}

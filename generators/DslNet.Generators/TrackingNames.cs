namespace DslNet.Generators;

/// <summary>Names of the generator's pipeline steps, so tests can check each step's caching.</summary>
internal static class TrackingNames
{
    public const string Parse = nameof(Parse);
    public const string Models = nameof(Models);
    public const string AnyModel = nameof(AnyModel);
}

namespace DslNet.Data;

/// <summary>
/// How <see cref="Cifar10"/> downloads the official archive when the files are found nowhere.
/// <see cref="Official"/> is the default; <see cref="Disabled"/> never touches the network (the search then fails with
/// its message at once). The other properties let a mirror or a test supply the archive.
/// </summary>
public sealed record Cifar10Download
{
    /// <summary>The official archive, <c>cifar-10-binary.tar.gz</c> (about 162 MB).</summary>
    public static readonly Uri OfficialUrl = new("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz");

    /// <summary>The MD5 of the official archive, as published on the CIFAR-10 page.</summary>
    public const string OfficialMd5 = "c32a1d4ab5d03f1284b67883e8d87530";

    /// <summary>Download the official archive, showing progress on the standard error stream.</summary>
    public static Cifar10Download Official { get; } = new();

    /// <summary>Never download.</summary>
    public static Cifar10Download Disabled { get; } = new() { Enabled = false };

    /// <summary>Whether to download at all (default true).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Where the <c>.tar.gz</c> archive is fetched from; it must unpack to a <c>cifar-10-batches-bin/</c> folder.</summary>
    public Uri Url { get; init; } = OfficialUrl;

    /// <summary>The archive's expected MD5, hexadecimal; a download that does not match it is discarded.</summary>
    public string Md5 { get; init; } = OfficialMd5;

    /// <summary>The HTTP handler to send the request with (null = a default handler). Tests inject one here.</summary>
    public HttpMessageHandler? Handler { get; init; }

    /// <summary>Where the progress bar is written (null = the standard error stream).</summary>
    public TextWriter? Progress { get; init; }

    /// <summary>Show the progress bar (default true).</summary>
    public bool ShowProgress { get; init; } = true;
}

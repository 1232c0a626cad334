using static TorchSharp.torch;

namespace DslNet.Data;

/// <summary>
/// CIFAR-10 (Krizhevsky, 2009) in its official binary layout, split the way <i>Hands-On Machine Learning</i>'s chapter 11
/// exercise splits it. The files are found under <c>--data DIR</c>, else <c>$DSLNET_DATA</c>, else the user's cache folder,
/// always in the subfolder <c>cifar-10-batches-bin/</c>; when absent everywhere, the official archive is downloaded
/// into the cache.
/// </summary>
public static class Cifar10
{
    /// <summary>The class names, indexed by label: airplane, automobile, bird, cat, deer, dog, frog, horse, ship, truck.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    /// <summary>The number of validation images: the first 5,000 training images (the book's split).</summary>
    public const int ValidationCount = 5_000;

    /// <summary>DslNet's cache folder (downloads go to its <c>cifar-10-batches-bin/</c>): <c>$XDG_CACHE_HOME/dslnet</c>, else the platform's user cache folder.</summary>
    public static string CacheFolder => DataFolders.DefaultCache();

    /// <summary>
    /// Loads the data set: <c>Train</c> = training images 5,001–50,000 (45,000), <c>Valid</c> = the first 5,000 training
    /// images in the official order, <c>Test</c> = the 10,000 test images. Features are float32 <c>[N, 3, 32, 32]</c> with
    /// the raw pixel values 0–255 (standardize them with <see cref="Standardizer"/>); labels are int64 <c>[N]</c>.
    /// Train and Valid share one storage.
    /// </summary>
    /// <param name="dataDir">A folder holding <c>cifar-10-batches-bin/</c> (the samples' <c>--data DIR</c>); null searches <c>$DSLNET_DATA</c> and the cache.</param>
    /// <param name="download">How to download the files when they are found nowhere; null means <see cref="Cifar10Download.Official"/>.</param>
    /// <exception cref="DirectoryNotFoundException">The files are nowhere and could not be downloaded; the message lists where it looked.</exception>
    /// <exception cref="InvalidDataException">A batch file is truncated or corrupt; the message names it.</exception>
    public static (Dataset Train, Dataset Valid, Dataset Test) Load(string? dataDir = null, Cifar10Download? download = null) =>
        LoadFrom(Locate(dataDir, download));

    /// <summary>
    /// The folder holding the six batch files: the first of <paramref name="dataDir"/><c>/cifar-10-batches-bin</c>,
    /// <c>$DSLNET_DATA/cifar-10-batches-bin</c>, and the cache's <c>cifar-10-batches-bin</c> that exists, downloading
    /// into the cache when none does (with <see cref="Cifar10Download.Official"/> unless told otherwise).
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">Found nowhere and not downloadable; the message says where it looked and how to provide the files.</exception>
    /// <exception cref="FileNotFoundException">A folder exists but lacks some batch files.</exception>
    public static string Locate(string? dataDir = null, Cifar10Download? download = null) =>
        Cifar10Locator.Locate(DataFolders.FromEnvironment(dataDir), download ?? Cifar10Download.Official);

    /// <summary>
    /// Loads the batches in <paramref name="folder"/> (a <c>cifar-10-batches-bin</c> folder) and splits them as
    /// <see cref="Load"/> does. Each official file must hold exactly 10,000 records.
    /// </summary>
    public static (Dataset Train, Dataset Valid, Dataset Test) LoadFrom(string folder) =>
        LoadFrom(folder, Cifar10Format.RecordsPerFile, ValidationCount);

    /// <summary>The split of <see cref="LoadFrom(string)"/> for batch files of <paramref name="recordsPerFile"/> records (tests use small ones).</summary>
    internal static (Dataset Train, Dataset Valid, Dataset Test) LoadFrom(string folder, int recordsPerFile, int validationCount)
    {
        var train = ReadBatches(folder, Cifar10Format.TrainingBatches, recordsPerFile);
        var test = ReadBatches(folder, [Cifar10Format.TestBatch], recordsPerFile);
        return (train[validationCount..], train[..validationCount], test);
    }

    /// <summary>
    /// The records of one batch file (<c>.bin</c>, or <c>.bin.gz</c> read through a gzip stream), checked: a whole number of
    /// 3073-byte records (label byte 0–9, then 1024 red, 1024 green, 1024 blue bytes).
    /// </summary>
    /// <exception cref="InvalidDataException">The file is truncated, not gzip, or has a label outside 0–9; the message names it.</exception>
    public static byte[] ReadBatchFile(string path) => BatchFileReader.ReadRecords(path);

    /// <summary>One batch file as a data set (features float32 <c>[N, 3, 32, 32]</c> 0–255, labels int64 <c>[N]</c>).</summary>
    public static Dataset ReadBatch(string path) => RecordTensors.ToDataset([ReadBatchFile(path)]);

    private static Dataset ReadBatches(string folder, IReadOnlyList<string> batches, int recordsPerFile)
    {
        // Lazily read: each file's bytes become garbage as soon as torch has copied them.
        return RecordTensors.ToDataset(batches.Select(batch => BatchFileReader.ReadRecords(PathOf(folder, batch), recordsPerFile)));
    }

    private static string PathOf(string folder, string batch) =>
        Cifar10Format.FindBatchFile(folder, batch)
        ?? throw new FileNotFoundException($"The CIFAR-10 folder '{folder}' lacks {batch}.bin (or {batch}.bin.gz).", Path.Combine(folder, batch + ".bin"));
}

namespace DslNet.Data;

/// <summary>The facts of CIFAR-10's official binary layout (<c>cifar-10-batches-bin</c>).</summary>
internal static class Cifar10Format
{
    /// <summary>The folder the official archive unpacks to; every search place holds the files in it.</summary>
    public const string FolderName = "cifar-10-batches-bin";

    /// <summary>Channels (R, G, B), rows and columns of one image.</summary>
    public const int Channels = 3, Height = 32, Width = 32;

    /// <summary>The pixel bytes of one image: 1024 red, then 1024 green, then 1024 blue, each plane row-major.</summary>
    public const int PixelBytes = Channels * Height * Width;

    /// <summary>One record: the label byte, then the pixels.</summary>
    public const int RecordBytes = 1 + PixelBytes;

    /// <summary>The number of records in each official batch file.</summary>
    public const int RecordsPerFile = 10_000;

    /// <summary>The number of classes; labels are 0 to 9.</summary>
    public const int ClassCount = 10;

    /// <summary>The five training batches, in the official order.</summary>
    public static readonly IReadOnlyList<string> TrainingBatches =
        ["data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4", "data_batch_5"];

    /// <summary>The test batch.</summary>
    public const string TestBatch = "test_batch";

    /// <summary>Every batch a complete folder holds.</summary>
    public static readonly IReadOnlyList<string> AllBatches = [.. TrainingBatches, TestBatch];

    /// <summary>How a user is told which files a folder must hold.</summary>
    public const string ExpectedFilesText = "data_batch_1.bin … data_batch_5.bin and test_batch.bin, each plain or gzipped (.bin.gz)";

    /// <summary>The file of <paramref name="batch"/> in <paramref name="folder"/>: <c>batch.bin</c>, else <c>batch.bin.gz</c>, else null.</summary>
    public static string? FindBatchFile(string folder, string batch)
    {
        var plain = Path.Combine(folder, batch + ".bin");
        if (File.Exists(plain))
        {
            return plain;
        }

        var gzipped = plain + ".gz";
        return File.Exists(gzipped) ? gzipped : null;
    }

    /// <summary>The batches <paramref name="folder"/> lacks (empty when it is complete).</summary>
    public static IReadOnlyList<string> MissingBatches(string folder) =>
        AllBatches.Where(batch => FindBatchFile(folder, batch) is null).ToArray();

    /// <summary>
    /// Checks that <paramref name="records"/> is whole records with labels 0–9 (and exactly <paramref name="expectedRecords"/>
    /// of them when given); throws <see cref="InvalidDataException"/> naming <paramref name="path"/> otherwise.
    /// </summary>
    public static void Validate(ReadOnlySpan<byte> records, string path, int? expectedRecords = null)
    {
        if (records.Length == 0 || records.Length % RecordBytes != 0)
        {
            throw Corrupt(path,
                $"it holds {records.Length:N0} bytes (uncompressed), which is not a whole number of {RecordBytes}-byte records " +
                $"(1 label byte + {PixelBytes} pixel bytes); the file is truncated or is not a CIFAR-10 batch");
        }

        var count = records.Length / RecordBytes;
        if (expectedRecords is { } expected && count != expected)
        {
            throw Corrupt(path, $"it holds {count:N0} records, but an official CIFAR-10 batch holds exactly {expected:N0} ({(long)expected * RecordBytes:N0} bytes)");
        }

        for (var record = 0; record < count; record++)
        {
            var label = records[record * RecordBytes];
            if (label >= ClassCount)
            {
                throw Corrupt(path, $"record {record:N0} (byte offset {(long)record * RecordBytes:N0}) has label {label}, but labels must be 0–9");
            }
        }
    }

    /// <summary>The one error for a bad batch file: the file, what is wrong, and the fix.</summary>
    public static InvalidDataException Corrupt(string path, string problem, Exception? inner = null) =>
        new($"The CIFAR-10 batch file '{path}' is corrupt: {problem}. " +
            $"Replace it with a fresh copy from the official archive ({Cifar10Download.OfficialUrl}), plain or gzipped.", inner);
}

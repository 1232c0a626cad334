using DslNet.Tests.Models;
using DslNet.Tests.Training;
using Google.Protobuf;
using Xunit;
using static TorchSharp.torch;

namespace DslNet.Tests.TensorBoard;

/// <summary>
/// <c>FitOptions.TensorBoardDirectory</c> and <c>LearningRateSearch.SaveTensorBoard</c>, read back from the event files
/// with a reader written here from the format's definition (TFRecord framing with masked CRC32C checksums; the
/// <c>Event</c> and <c>Summary</c> protobuf messages), not with the writer's own classes.
/// </summary>
public sealed class TensorBoardTests : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("dslnet-tensorboard-");

    public void Dispose() => folder.Delete(recursive: true);

    [Fact]
    public void Fit_writes_every_epoch_s_figures_where_Keras_callback_puts_them()
    {
        using var scope = NewDisposeScope();
        var (train, validation) = SyntheticData.Blobs(classes: 2, features: 4, perClassTrain: 40, perClassValidation: 10);
        using var model = new ParametricSwishNet();

        var history = model.Fit(train, validation, new FitOptions { Epochs = 3, BatchSize = 16, Progress = false, TensorBoardDirectory = folder.FullName });

        var trainScalars = EventFile.ReadScalars(Path.Combine(folder.FullName, "train"));
        var validationScalars = EventFile.ReadScalars(Path.Combine(folder.FullName, "validation"));
        Assert.Equal(3, history.Rows.Count);
        foreach (var row in history.Rows)
        {
            Assert.Equal((float)row.Loss, trainScalars[("epoch_loss", row.Epoch)]);
            Assert.Equal((float)row.Accuracy, trainScalars[("epoch_accuracy", row.Epoch)]);
            Assert.Equal((float)row.LearningRate, trainScalars[("epoch_learning_rate", row.Epoch)]);
            Assert.Equal((float)row.ValLoss, validationScalars[("epoch_loss", row.Epoch)]);
            Assert.Equal((float)row.ValAccuracy, validationScalars[("epoch_accuracy", row.Epoch)]);
        }

        Assert.Equal(9, trainScalars.Count);
        Assert.Equal(6, validationScalars.Count);
    }

    [Fact]
    public void Without_validation_no_validation_folder_is_written()
    {
        using var scope = NewDisposeScope();
        var (train, _) = SyntheticData.Blobs(classes: 2, features: 4, perClassTrain: 20);
        using var model = new ParametricSwishNet();

        model.Fit(train, options: new FitOptions { Epochs = 1, Progress = false, TensorBoardDirectory = folder.FullName });

        Assert.Equal(3, EventFile.ReadScalars(Path.Combine(folder.FullName, "train")).Count);
        Assert.False(Directory.Exists(Path.Combine(folder.FullName, "validation")));
    }

    [Fact]
    public void The_learning_rate_finder_s_curve_is_written_per_batch()
    {
        using var scope = NewDisposeScope();
        var (train, _) = SyntheticData.Blobs(classes: 2, features: 4, perClassTrain: 64);
        using var model = new ParametricSwishNet();
        var search = model.FindLearningRate(train, minRate: 1e-3, maxRate: 0.5);

        search.SaveTensorBoard(folder.FullName);

        var scalars = EventFile.ReadScalars(Path.Combine(folder.FullName, "lr_finder"));
        Assert.NotEmpty(search.Rates);
        for (var i = 0; i < search.Rates.Count; i++)
        {
            Assert.Equal((float)search.Rates[i], scalars[("learning_rate", i + 1)]);
            Assert.Equal((float)search.Losses[i], scalars[("loss", i + 1)]);
        }
    }

    [Fact]
    public void A_damaged_record_is_detected_by_its_checksum()
    {
        using var scope = NewDisposeScope();
        var (train, _) = SyntheticData.Blobs(classes: 2, features: 4, perClassTrain: 20);
        using var model = new ParametricSwishNet();
        model.Fit(train, options: new FitOptions { Epochs = 1, Progress = false, TensorBoardDirectory = folder.FullName });
        var file = Directory.GetFiles(Path.Combine(folder.FullName, "train")).Single();
        var bytes = File.ReadAllBytes(file);
        bytes[^5] ^= 0x40;
        File.WriteAllBytes(file, bytes);

        Assert.Throws<InvalidDataException>(() => EventFile.ReadScalars(Path.Combine(folder.FullName, "train")));
    }

    /// <summary>Reads TensorBoard event files: records of (uint64 length, masked CRC32C of it, data, masked CRC32C of data).</summary>
    private static class EventFile
    {
        public static Dictionary<(string Tag, long Step), float> ReadScalars(string directory)
        {
            var files = Directory.GetFiles(directory, "events.out.tfevents.*");
            Assert.NotEmpty(files);
            var scalars = new Dictionary<(string, long), float>();
            foreach (var file in files)
            {
                foreach (var record in Records(File.ReadAllBytes(file)))
                {
                    var (step, values) = ParseEvent(record);
                    foreach (var (tag, value) in values)
                    {
                        scalars.Add((tag, step), value);
                    }
                }
            }

            return scalars;
        }

        private static IEnumerable<byte[]> Records(byte[] bytes)
        {
            var offset = 0;
            while (offset < bytes.Length)
            {
                if (bytes.Length - offset < 12)
                {
                    throw new InvalidDataException("A truncated record header.");
                }

                var header = bytes.AsSpan(offset, 8);
                var length = BitConverter.ToUInt64(header);
                Check(header, BitConverter.ToUInt32(bytes, offset + 8), "length");
                offset += 12;
                if ((ulong)(bytes.Length - offset) < length + 4)
                {
                    throw new InvalidDataException("A truncated record.");
                }

                var data = bytes.AsSpan(offset, (int)length);
                Check(data, BitConverter.ToUInt32(bytes, offset + (int)length), "data");
                yield return data.ToArray();
                offset += (int)length + 4;
            }
        }

        private static void Check(ReadOnlySpan<byte> data, uint stored, string what)
        {
            var crc = Crc32C(data);
            var masked = ((crc >> 15) | (crc << 17)) + 0xa282ead8U;
            if (masked != stored)
            {
                throw new InvalidDataException($"The {what} checksum of a record does not match.");
            }
        }

        private static uint Crc32C(ReadOnlySpan<byte> data)
        {
            var crc = 0xFFFFFFFFu;
            foreach (var b in data)
            {
                crc ^= b;
                for (var bit = 0; bit < 8; bit++)
                {
                    crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
                }
            }

            return ~crc;
        }

        /// <summary>Event: step = 2 (int64), summary = 5; Summary: value = 1; Value: tag = 1, simple_value = 2 (float).</summary>
        private static (long Step, List<(string Tag, float Value)> Values) ParseEvent(byte[] record)
        {
            var input = new CodedInputStream(record);
            var step = 0L;
            var values = new List<(string, float)>();
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                switch (WireFormat.GetTagFieldNumber(tag))
                {
                    case 2:
                        step = input.ReadInt64();
                        break;
                    case 5:
                        var summary = new CodedInputStream(input.ReadBytes().ToByteArray());
                        uint summaryTag;
                        while ((summaryTag = summary.ReadTag()) != 0)
                        {
                            if (WireFormat.GetTagFieldNumber(summaryTag) == 1)
                            {
                                values.Add(ParseValue(summary.ReadBytes().ToByteArray()));
                            }
                            else
                            {
                                summary.SkipLastField();
                            }
                        }

                        break;
                    default:
                        input.SkipLastField();
                        break;
                }
            }

            return (step, values);
        }

        private static (string Tag, float Value) ParseValue(byte[] bytes)
        {
            var input = new CodedInputStream(bytes);
            var (name, value) = (string.Empty, float.NaN);
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                switch (WireFormat.GetTagFieldNumber(tag))
                {
                    case 1:
                        name = input.ReadString();
                        break;
                    case 2:
                        value = input.ReadFloat();
                        break;
                    default:
                        input.SkipLastField();
                        break;
                }
            }

            return (name, value);
        }
    }
}

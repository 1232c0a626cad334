using System.Text;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DslNet.Tests.IO;

/// <summary>
/// <c>Dataset.SaveNumpy</c> writes NumPy's <c>.npy</c> format 1.0, which <c>numpy.load</c> and the exported <c>train.py</c>
/// read: the magic, the version, a header dictionary padded to 64 bytes, then the values in C order, little-endian.
/// </summary>
public sealed class NumpyFileTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("dslnet-npy-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Features_are_float32_and_class_labels_int64_with_their_shapes()
    {
        var features = torch.arange(2 * 3 * 4 * 5, dtype: ScalarType.Float32).reshape(2, 3, 4, 5);
        var labels = torch.tensor(new long[] { 7, 3 });
        new Dataset(features, labels).SaveNumpy(folder, "train");

        var (xHeader, xData) = Read(Path.Combine(folder, "train_x.npy"));
        Assert.Equal("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3, 4, 5), }", xHeader);
        Assert.Equal(features.data<float>().ToArray(), Floats(xData));

        var (yHeader, yData) = Read(Path.Combine(folder, "train_y.npy"));
        Assert.Equal("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", yHeader);
        Assert.Equal(new long[] { 7, 3 }, Enumerable.Range(0, 2).Select(i => BitConverter.ToInt64(yData, i * 8)).ToArray());
    }

    [Fact]
    public void Regression_targets_stay_float32_and_a_view_is_written_in_C_order()
    {
        var features = torch.arange(12, dtype: ScalarType.Float32).reshape(3, 4).t(); // a transposed (non-contiguous) view
        var targets = torch.tensor(new[] { 0.5f, -1.25f, 2f, 4f }).reshape(4, 1);
        new Dataset(features, targets).SaveNumpy(Path.Combine(folder, "new"), "valid");

        var (xHeader, xData) = Read(Path.Combine(folder, "new", "valid_x.npy"));
        Assert.Contains("'shape': (4, 3)", xHeader);
        Assert.Equal(new float[] { 0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11 }, Floats(xData));
        var (yHeader, yData) = Read(Path.Combine(folder, "new", "valid_y.npy"));
        Assert.Equal("{'descr': '<f4', 'fortran_order': False, 'shape': (4, 1), }", yHeader);
        Assert.Equal(new[] { 0.5f, -1.25f, 2f, 4f }, Floats(yData));
    }

    [Fact]
    public void A_name_with_a_folder_in_it_is_refused()
    {
        var data = new Dataset(torch.zeros(1, 2), torch.zeros(1, dtype: ScalarType.Int64));
        var error = Assert.Throws<ArgumentException>(() => data.SaveNumpy(folder, "a/b"));
        Assert.Contains("not a file name stem", error.Message);
        Assert.Empty(Directory.GetFiles(folder));
    }

    /// <summary>The header dictionary (checked to be padded so the data starts at a multiple of 64) and the data bytes.</summary>
    private static (string Header, byte[] Data) Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 }, bytes[..8]);
        var length = bytes[8] | (bytes[9] << 8);
        Assert.Equal(0, (10 + length) % 64);
        var text = Encoding.ASCII.GetString(bytes, 10, length);
        Assert.EndsWith("\n", text);
        return (text.TrimEnd('\n').TrimEnd(' '), bytes[(10 + length)..]);
    }

    private static float[] Floats(byte[] data) => Enumerable.Range(0, data.Length / 4).Select(i => BitConverter.ToSingle(data, i * 4)).ToArray();
}

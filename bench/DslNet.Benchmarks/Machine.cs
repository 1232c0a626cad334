using System.Reflection;
using System.Runtime.InteropServices;

namespace DslNet.Benchmarks;

/// <summary>What the figures were measured on.</summary>
internal static class Machine
{
    public static IReadOnlyList<(string Name, string Value)> Describe(int defaultThreads) =>
    [
        ("CPU", $"{CpuModel()}, {Environment.ProcessorCount} logical cores"),
        ("OS", $"{OsName()} ({RuntimeInformation.OSArchitecture})"),
        (".NET", RuntimeInformation.FrameworkDescription),
        ("TorchSharp", typeof(TorchSharp.torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "?"),
        ("libtorch", TorchSharp.torch.__version__ ?? "?"),
        ("TorchSharp's default intra-op threads", defaultThreads.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];

    /// <summary>The 1-, 5- and 15-minute load averages (Linux), or "?" where unknown: other processes share the cores.</summary>
    public static string LoadAverage() =>
        ReadLines("/proc/loadavg").FirstOrDefault() is { } line ? string.Join(" / ", line.Split(' ').Take(3)) : "?";

    private static string CpuModel() =>
        ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
        ?? RuntimeInformation.ProcessArchitecture.ToString();

    private static string OsName() =>
        ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?.Split('=', 2)[1].Trim('"')
        ?? RuntimeInformation.OSDescription;

    private static IEnumerable<string> ReadLines(string path) => File.Exists(path) ? File.ReadLines(path) : [];
}

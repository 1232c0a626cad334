using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Xunit;

namespace DslNet.Tests.PyTorch;

/// <summary>
/// A test that runs the exported twin under Debian's python3-torch. README's <c>dotnet test</c> needs nothing but .NET,
/// so these tests are skipped unless <c>DSLNET_PYTORCH=1</c>: <c>eng/test-pytorch-twin.sh</c> (run by <c>.ci/run</c>
/// after <c>eng/install-pytorch.sh</c>) sets it, and then a missing torch is a failure, not a skip.
/// </summary>
public sealed class PyTorchFactAttribute : FactAttribute
{
    public PyTorchFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("DSLNET_PYTORCH") != "1")
        {
            Skip = "Needs PyTorch: run eng/install-pytorch.sh, then eng/test-pytorch-twin.sh (.ci/run does both).";
        }
    }
}

/// <summary>Runs Python (<c>DSLNET_PYTHON</c>, else <c>python3</c>) with torch.</summary>
internal static class PyTorchProcess
{
    public static string Python => Environment.GetEnvironmentVariable("DSLNET_PYTHON") is { Length: > 0 } python ? python : "python3";

    /// <summary>Starts <c>python args</c> in <paramref name="directory"/> with <paramref name="environment"/> added.</summary>
    public static Process Start(string directory, IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(Python)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // One thread per process: the machine is shared, and two ranks share its cores.
        start.Environment["OMP_NUM_THREADS"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Python}.");
    }

    /// <summary>Waits for <paramref name="process"/>; its standard output, after asserting that it exited with 0.</summary>
    public static string Finish(Process process, string what, int timeoutSeconds = 600)
    {
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeoutSeconds * 1000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{what} did not finish in {timeoutSeconds} s. Output:\n{output.Result}\n{error.Result}");
        }

        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{what} exited with {process.ExitCode}. Output:\n{output.Result}\nErrors:\n{error.Result}");
        return output.Result;
    }

    /// <summary>Runs <c>python args</c> to its end; its standard output.</summary>
    public static string Run(string directory, string what, params string[] args) => Finish(Start(directory, args), what);

    /// <summary>A TCP port free on the loopback interface now (for MASTER_PORT).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

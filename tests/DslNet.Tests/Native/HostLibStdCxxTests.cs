using System.Globalization;
using DslNet.Native;
using Xunit;

namespace DslNet.Tests.Native;

public sealed class HostLibStdCxxTests
{
    [Fact]
    public void FindsTheHostLibStdCxxAndReadsItsVersions()
    {
        var host = HostLibStdCxx.Find();

        Assert.NotNull(host);
        Assert.True(File.Exists(host.Path));
        Assert.StartsWith("libstdc++.so.6", Path.GetFileName(host.Path));
        Assert.Contains("GLIBCXX_3.4", host.Versions);
        Assert.Contains("CXXABI_1.3", host.Versions);
    }

    [Fact]
    public void HostLibStdCxxDefinesExactlyTheGlibcxxVersionsOfItsRelease()
    {
        // libstdc++.so.6.0.N defines GLIBCXX_3.4.N and nothing later; on this Debian 12 host N is 30, so GLIBCXX_3.4.32 is missing.
        var located = HostLibStdCxx.Locate()!;
        var real = new FileInfo(located).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? located;
        Assert.Matches(@"^libstdc\+\+\.so\.6\.0\.\d+$", Path.GetFileName(real));
        var release = int.Parse(Path.GetFileName(real)["libstdc++.so.6.0.".Length..], CultureInfo.InvariantCulture);

        var host = HostLibStdCxx.Read(real);

        Assert.Contains($"GLIBCXX_3.4.{release}", host.Versions);
        Assert.DoesNotContain($"GLIBCXX_3.4.{release + 1}", host.Versions);
        Assert.Equal(release >= 32, host.Versions.Contains("GLIBCXX_3.4.32"));
    }
}

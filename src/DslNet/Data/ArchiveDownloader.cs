using System.Security.Cryptography;
using DslNet.IO;

namespace DslNet.Data;

/// <summary>Downloads an archive to a file with a progress bar, keeping it only when its MD5 matches.</summary>
internal static class ArchiveDownloader
{
    /// <summary>How long connecting may take before the download is given up (offline hosts fail fast instead of hanging).</summary>
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Downloads <see cref="Cifar10Download.Url"/> to <paramref name="path"/>. The file appears only complete and with the
    /// expected MD5; on any failure (network, checksum) nothing is left at or beside <paramref name="path"/>.
    /// </summary>
    public static void Download(Cifar10Download download, string path)
    {
        AtomicFile.Write(path, temporary =>
        {
            var md5 = Fetch(download, temporary);
            if (!string.Equals(md5, download.Md5, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidDataException(
                    $"the archive downloaded from {download.Url} has MD5 {md5}, but {download.Md5} was expected " +
                    "(an interrupted or tampered download); it was discarded");
            }
        });
    }

    /// <summary>Streams the response body into <paramref name="file"/>, hashing it on the way; returns the MD5 in lower-case hex.</summary>
    private static string Fetch(Cifar10Download download, string file)
    {
        using var client = download.Handler is { } handler
            ? new HttpClient(handler, disposeHandler: false)
            : new HttpClient(new SocketsHttpHandler { ConnectTimeout = ConnectTimeout });
        client.Timeout = Timeout.InfiniteTimeSpan; // a large archive on a slow link may take long; connecting may not.
        using var response = client.GetAsync(download.Url, HttpCompletionOption.ResponseHeadersRead).GetAwaiter().GetResult();
        response.EnsureSuccessStatusCode();

        var name = Path.GetFileName(download.Url.LocalPath);
        var progress = download.ShowProgress ? DownloadProgress.For(download.Progress, name, response.Content.Headers.ContentLength) : null;
        using var body = response.Content.ReadAsStream();
        using var output = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var buffer = new byte[1 << 16];
        long received = 0;
        int read;
        while ((read = body.Read(buffer)) > 0)
        {
            output.Write(buffer, 0, read);
            md5.AppendData(buffer, 0, read);
            received += read;
            progress?.Report(received);
        }

        progress?.Complete(received);
        return Convert.ToHexString(md5.GetHashAndReset()).ToLowerInvariant();
    }
}

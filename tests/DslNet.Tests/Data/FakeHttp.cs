using System.Net;
using System.Net.Http.Headers;

namespace DslNet.Tests.Data;

/// <summary>An HTTP handler that answers every request with fixed bytes, or fails like an offline host; counts requests.</summary>
internal sealed class FakeHttp : HttpMessageHandler
{
    private readonly byte[]? body;

    private FakeHttp(byte[]? body) => this.body = body;

    public int Requests { get; private set; }

    public static FakeHttp Serving(byte[] body) => new(body);

    public static FakeHttp Offline() => new(null);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests++;
        if (body is null)
        {
            throw new HttpRequestException($"No such host is known. ({request.RequestUri!.Host}:443)");
        }

        var content = new ByteArrayContent(body);
        content.Headers.ContentLength = body.Length;
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-gzip");
        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request });
    }
}

using System.Net.Http.Headers;

namespace InferenceService.Bench;

/// <summary>The one request an open-loop point repeats: POST of a body file, as bench/wrk/request.lua sends it.</summary>
internal sealed class OpenLoopRequest(Uri url, byte[] body, string contentType, bool rawBinary)
{
    public Uri Url => url;

    public HttpRequestMessage Create() => Create(new ByteArrayContent(body));

    /// <summary>The same request, with a body that notes when HttpClient has finished writing it to the connection.</summary>
    public HttpRequestMessage CreateTimed(out TimedContent timed) => Create(timed = new TimedContent(body));

    private HttpRequestMessage Create(HttpContent content)
    {
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        if (rawBinary)
        {
            // A raw binary tensor body: no JSON header part (the V2 binary extension with a zero-length header).
            message.Headers.Add("Inference-Header-Content-Length", "0");
        }

        return message;
    }
}

using System.Net.Http.Headers;

namespace InferenceService.Bench;

/// <summary>The one request an open-loop point repeats: POST of a body file, as bench/wrk/request.lua sends it.</summary>
internal sealed class OpenLoopRequest(Uri url, byte[] body, string contentType, bool rawBinary)
{
    public Uri Url => url;

    public HttpRequestMessage Create()
    {
        var content = new ByteArrayContent(body);
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

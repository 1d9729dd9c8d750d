namespace InferenceService.Client.Tests;

/// <summary>Passes requests on and keeps the last request's and response's binary framing header, to see what went over the wire.</summary>
internal sealed class RecordingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private const string HeaderLength = "Inference-Header-Content-Length";

    public string? RequestHeaderLength { get; private set; }

    public string? ResponseHeaderLength { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        RequestHeaderLength = request.Headers.TryGetValues(HeaderLength, out var sent) ? sent.Single() : null;
        var response = await base.SendAsync(request, cancellationToken);
        ResponseHeaderLength = response.Headers.TryGetValues(HeaderLength, out var received) ? received.Single() : null;
        return response;
    }
}

using System.Diagnostics;
using System.Net;

namespace InferenceService.Bench;

/// <summary>
/// A fixed request body, as <see cref="ByteArrayContent"/> sends it (one write of the whole array, known length), that
/// notes when the write returned: HttpClient (SocketsHttpHandler) sends an HTTP/1.1 body in full before it reads the
/// answer, so for a refusal this splits the client's time into the upload and what follows it. Nothing else changes.
/// </summary>
internal sealed class TimedContent(byte[] body) : HttpContent
{
    /// <summary><see cref="Stopwatch.GetTimestamp"/> when the body was written; 0 if it never was (Expect: 100-continue refused it).</summary>
    public long WrittenAt { get; private set; }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        await SerializeToStreamAsync(stream, context, CancellationToken.None).ConfigureAwait(false);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(body, cancellationToken).ConfigureAwait(false);
        WrittenAt = Stopwatch.GetTimestamp();
    }

    protected override bool TryComputeLength(out long length)
    {
        length = body.Length;
        return true;
    }
}

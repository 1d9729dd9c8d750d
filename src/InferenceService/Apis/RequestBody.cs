using System.Buffers;
using InferenceService.Runtime.Inference;

namespace InferenceService.Apis;

/// <summary>Reads a whole request body, turning Kestrel's size limit into <see cref="RequestBodyTooLargeException"/>.</summary>
internal static class RequestBody
{
    /// <summary>
    /// Kestrel enforces the same limit, but not every server does (the test server doesn't), so the reader also
    /// counts: a client never gets more than <paramref name="limit"/> bytes buffered.
    /// </summary>
    public static Task<ReadOnlyMemory<byte>> ReadAsync(HttpRequest request, long limit) =>
        ReadAsync(request, limit, static body => (ReadOnlyMemory<byte>)body.ToArray());

    /// <summary>
    /// Hands the whole body to <paramref name="read"/> while it still lies in the server's own buffers, so a decoder
    /// that copies what it keeps (a 602 KB image into its tensor) copies it once, not first into a byte array.
    /// <paramref name="read"/> must not keep the sequence: its memory goes back to the server when it returns.
    /// </summary>
    public static async Task<T> ReadAsync<T>(HttpRequest request, long limit, Func<ReadOnlySequence<byte>, T> read)
    {
        if (request.ContentLength is { } length && length > limit)
        {
            throw new RequestBodyTooLargeException(limit);
        }

        var reader = request.BodyReader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
                if (result.IsCompleted)
                {
                    if (result.Buffer.Length > limit)
                    {
                        throw new RequestBodyTooLargeException(limit);
                    }

                    try
                    {
                        return read(result.Buffer);
                    }
                    finally
                    {
                        reader.AdvanceTo(result.Buffer.End);
                    }
                }

                if (result.Buffer.Length > limit)
                {
                    throw new RequestBodyTooLargeException(limit);
                }

                reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new RequestBodyTooLargeException(limit);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status400BadRequest)
        {
            // A body the server could not read as sent, e.g. a truncated gzip body (HttpCompression): the client's fault.
            throw InferenceException.BadRequest(e.Message);
        }
    }
}

using System.Runtime.InteropServices;
using InferenceService.Runtime.Pipelines;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace InferenceService.Apis;

/// <summary>
/// The images of a vision request: the file parts of a multipart/form-data body, or a raw image/jpeg, image/png or
/// image/webp body. The whole body is bounded by Tasks:MaxImageBytes before any part is looked at.
/// </summary>
internal static class ImageUpload
{
    private static readonly string[] RawTypes = ["image/jpeg", "image/png", "image/webp"];

    /// <param name="maxImagesReason">Where <paramref name="maxImages"/> comes from, for the 400 that states it.</param>
    public static async Task<IReadOnlyList<ReadOnlyMemory<byte>>> ReadAsync(HttpRequest request, long maxBytes, int maxImages, string maxImagesReason, bool allowRaw, CancellationToken cancellationToken)
    {
        var contentType = request.ContentType is { } header && MediaTypeHeaderValue.TryParse(header, out var parsed) ? parsed : null;
        var mediaType = contentType?.MediaType.Value?.ToLowerInvariant();
        var isMultipart = mediaType == "multipart/form-data";
        if (!isMultipart && !(allowRaw && mediaType is not null && RawTypes.Contains(mediaType)))
        {
            var accepted = allowRaw ? "multipart/form-data with image file parts, or a raw image/jpeg, image/png or image/webp body" : "multipart/form-data with image file parts";
            throw new PipelineException(PipelineErrorKind.UnsupportedMediaType, $"Content-Type '{request.ContentType}' is not accepted here; send {accepted}.");
        }

        var body = await TaskBody.ReadPooledAsync(request, maxBytes, "Tasks:MaxImageBytes", cancellationToken).ConfigureAwait(false);
        if (!isMultipart)
        {
            return [body];
        }

        var boundary = HeaderUtilities.RemoveQuotes(contentType!.Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
        {
            throw PipelineException.BadRequest("The multipart/form-data Content-Type has no boundary.");
        }

        var images = new List<ReadOnlyMemory<byte>>();
        try
        {
            var segment = MemoryMarshal.TryGetArray(body, out var array) ? array : new ArraySegment<byte>(body.ToArray());
            var reader = new MultipartReader(boundary, new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false));
            while (await reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.IsFileDisposition())
                {
                    continue;
                }

                if (images.Count == maxImages)
                {
                    throw PipelineException.BadRequest($"Too many images: at most {maxImages} per request ({maxImagesReason}).");
                }

                using var part = new MemoryStream();
                await section.Body.CopyToAsync(part, cancellationToken).ConfigureAwait(false);
                images.Add(part.ToArray());
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            // The body is already in memory: an IOException here means a part that ends before its boundary.
            throw PipelineException.BadRequest("The multipart/form-data body is malformed: " + e.Message);
        }

        return images.Count > 0
            ? images
            : throw PipelineException.BadRequest("The multipart/form-data body has no file part; send each image as a file (curl -F image=@photo.jpg).");
    }
}

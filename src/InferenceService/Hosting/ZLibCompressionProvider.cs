using System.IO.Compression;
using Microsoft.AspNetCore.ResponseCompression;

namespace InferenceService.Hosting;

/// <summary>
/// Responses in HTTP's deflate coding, which is the zlib format (RFC 9110 section 8.4.1.2): Triton's Python client
/// reads it with zlib.decompress. ASP.NET Core ships gzip and Brotli providers only.
/// </summary>
internal sealed class ZLibCompressionProvider : ICompressionProvider
{
    public string EncodingName => "deflate";

    public bool SupportsFlush => true;

    public Stream CreateStream(Stream outputStream) => new ZLibStream(outputStream, CompressionLevel.Fastest, leaveOpen: true);
}

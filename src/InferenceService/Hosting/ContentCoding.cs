namespace InferenceService.Hosting;

/// <summary>The request content codings inflated before a handler reads the body: those Triton's clients send.</summary>
internal enum ContentCoding
{
    /// <summary>RFC 1952 (Python's gzip.compress).</summary>
    Gzip,

    /// <summary>HTTP's deflate is the zlib format, RFC 1950 (Python's zlib.compress), not raw deflate (RFC 1951).</summary>
    Deflate,
}

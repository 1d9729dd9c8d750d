using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace InferenceService.Hosting;

/// <summary>
/// Triton's HTTP compression. A request body sent with Content-Encoding gzip or deflate is inflated before any handler
/// reads it, so Inference-Header-Content-Length and every body limit count inflated bytes; a response is compressed
/// when Accept-Encoding asks for gzip or deflate (Triton's two). gRPC has its own compression and is left alone.
/// </summary>
internal static class HttpCompression
{
    public static IServiceCollection AddHttpCompression(this IServiceCollection services)
    {
        services.AddResponseCompression(o =>
        {
            // EnableForHttps stays off: this service speaks plain HTTP (TLS ends in front of it, see KestrelEndpoints),
            // and compressing secrets beside attacker-chosen text under TLS is what BREACH exploits.
            o.Providers.Add<GzipCompressionProvider>();
            o.Providers.Add<ZLibCompressionProvider>();
            // Binary V2 responses (JSON header + tensors) are application/octet-stream; Triton compresses the whole body
            // and Inference-Header-Content-Length keeps counting the uncompressed JSON header, as here.
            o.MimeTypes = [.. ResponseCompressionDefaults.MimeTypes, "application/octet-stream", "application/problem+json"];
        });
        return services;
    }

    /// <summary>Inflates compressed request bodies; goes inside the error shapes, whose writer answers what it refuses.</summary>
    public static WebApplication UseRequestInflation(this WebApplication app)
    {
        app.Use(InflateAsync);
        return app;
    }

    private static async Task InflateAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (request.Headers.ContentEncoding.Count == 0 || request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        if (!TryParse(request.Headers.ContentEncoding.ToString(), out var coding, out var refusal))
        {
            // RFC 9110 section 15.5.16: a 415 for a content coding names the ones accepted.
            context.Response.Headers.AcceptEncoding = "gzip, deflate";
            await ApiErrorShapes.WriteAsync(context, StatusCodes.Status415UnsupportedMediaType, refusal).ConfigureAwait(false);
            return;
        }

        if (coding is not { } compressed)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var limit = context.RequestServices.GetRequiredService<IOptions<LimitsOptions>>().Value.MaxRequestBodyBytes;
        var body = request.Body;
        var pipe = context.Features.Get<IRequestBodyPipeFeature>();
        await using var inflating = new InflatingStream(body, compressed, limit);
        request.Body = inflating;
        // Not every server rebuilds BodyReader from a replaced Body (the test server doesn't); this feature does.
        context.Features.Set<IRequestBodyPipeFeature>(new RequestBodyPipeFeature(context));
        // Handlers see a plain body: its sent length was the compressed one.
        request.Headers.Remove(HeaderNames.ContentEncoding);
        request.ContentLength = null;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            request.Body = body;
            context.Features.Set(pipe);
        }
    }

    /// <summary>One coding, gzip (or its alias x-gzip) or deflate; identity means none. A null coding with true: send as is.</summary>
    private static bool TryParse(string header, out ContentCoding? coding, out string refusal)
    {
        coding = null;
        refusal = string.Empty;
        var codings = header.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(c => !c.Equals("identity", StringComparison.OrdinalIgnoreCase))
            .ToList();
        if (codings.Count == 0)
        {
            return true;
        }

        if (codings.Count > 1)
        {
            refusal = $"Content-Encoding '{header}' stacks {codings.Count} codings; send one: gzip or deflate (zlib).";
            return false;
        }

        coding = codings[0].ToLowerInvariant() switch
        {
            "gzip" or "x-gzip" => ContentCoding.Gzip,
            "deflate" => ContentCoding.Deflate,
            _ => null,
        };
        refusal = coding is null ? $"Content-Encoding '{codings[0]}' is not supported; send gzip or deflate (zlib), or no Content-Encoding." : string.Empty;
        return coding is not null;
    }
}

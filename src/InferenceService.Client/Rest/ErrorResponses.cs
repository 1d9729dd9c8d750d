using System.Text.Json;

namespace InferenceService.Client;

/// <summary>Turns a non-success response into an <see cref="InferenceServiceException"/> carrying the service's own message.</summary>
internal static class ErrorResponses
{
    private const int MaxEchoedChars = 1000;

    public static async Task<InferenceServiceException> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var message = MessageOf(text)
            ?? (string.IsNullOrWhiteSpace(text)
                ? $"{(int)response.StatusCode} {response.ReasonPhrase}"
                : text.Length > MaxEchoedChars ? text[..MaxEchoedChars] + "..." : text);

        // The service sends seconds (Retry-After: 1); a date would need a clock this client does not keep.
        return new InferenceServiceException(response.StatusCode, message, response.Headers.RetryAfter?.Delta);
    }

    /// <summary>V2 routes answer <c>{"error": "..."}</c>, task routes problem+json (<c>detail</c>, else <c>title</c>).</summary>
    private static string? MessageOf(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            foreach (var name in (ReadOnlySpan<string>)["error", "detail", "title"])
            {
                if (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
                {
                    return value.GetString();
                }
            }

            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

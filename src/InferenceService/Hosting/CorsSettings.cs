using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;

namespace InferenceService.Hosting;

/// <summary>
/// The <c>Cors</c> configuration section: the browser origins allowed to call the service from another origin (a web
/// app on its own host calling the task or OpenAI routes). Off while the list is empty, the default: no
/// <c>Access-Control-*</c> header is ever sent, so browsers refuse cross-origin calls. Credentials are never allowed:
/// the admin key travels in a header a page would have to hold, and no cookie authenticates anything here.
/// </summary>
public sealed class CorsSettings
{
    public const string Section = "Cors";

    /// <summary>Exact origins (<c>https://app.example.com</c>, scheme + host + optional port), or <c>*</c> for any.</summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>How long a browser may cache a preflight answer.</summary>
    public int PreflightMaxAgeSeconds { get; set; } = 600;

    public bool Enabled => AllowedOrigins.Length > 0;

    internal void ApplyTo(CorsOptions options)
    {
        options.AddDefaultPolicy(policy =>
        {
            if (AllowedOrigins.Contains("*"))
            {
                policy.AllowAnyOrigin();
            }
            else
            {
                policy.WithOrigins(AllowedOrigins);
            }

            // Retry-After tells a refused browser client when to come back; the binary V2 header length is needed to
            // split a binary answer.
            policy.WithMethods("GET", "POST").AllowAnyHeader()
                .WithExposedHeaders("Retry-After", "Inference-Header-Content-Length")
                .SetPreflightMaxAge(TimeSpan.FromSeconds(PreflightMaxAgeSeconds));
        });
    }
}

/// <summary>Every origin must be a bare origin, so a typo (a path, a missing scheme) fails the start instead of never matching.</summary>
internal sealed class CorsSettingsValidator : IValidateOptions<CorsSettings>
{
    public ValidateOptionsResult Validate(string? name, CorsSettings options)
    {
        var errors = options.AllowedOrigins.Where(o => o != "*" && !IsOrigin(o))
            .Select(o => $"Cors:AllowedOrigins: '{o}' is not an origin (expected scheme://host[:port] with no path, e.g. https://app.example.com, or *).")
            .ToList();
        if (options.PreflightMaxAgeSeconds < 0)
        {
            errors.Add($"Cors:PreflightMaxAgeSeconds: expected 0 or more, got {options.PreflightMaxAgeSeconds}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static bool IsOrigin(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && uri.Scheme is "http" or "https"
        && uri.AbsolutePath == "/" && !value.EndsWith('/') && uri.Query.Length == 0 && uri.Fragment.Length == 0
        && uri.UserInfo.Length == 0;
}

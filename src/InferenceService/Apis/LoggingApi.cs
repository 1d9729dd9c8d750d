using System.Text.Json;
using InferenceService.Hosting;
using InferenceService.Runtime.Inference;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace InferenceService.Apis;

/// <summary>
/// Triton's logging extension: GET /v2/logging shows the log settings, POST changes them at run time. Like the
/// repository API, mapped only when an admin key is configured, and it needs that key.
/// </summary>
public static class LoggingApi
{
    public const string ExtensionName = "logging";

    /// <summary>A settings body is a handful of fields; anything larger is not one.</summary>
    private const long MaxBodyBytes = 64 * 1024;

    private const string Names = "log_file, log_info, log_warning, log_error, log_verbose_level, log_format";

    /// <summary>Whether the routes (and so the extension) are served: only with an admin key.</summary>
    public static bool IsServed(AdminOptions admin) => !string.IsNullOrEmpty(admin?.ApiKey);

    public static IEndpointRouteBuilder MapLoggingApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!IsServed(app.ServiceProvider.GetRequiredService<IOptions<AdminOptions>>().Value))
        {
            return app;
        }

        var logging = app.MapGroup("/v2/logging").WithTags("Logging (admin)").AddEndpointFilter(RepositoryApi.RequireApiKey);
        logging.MapGet(string.Empty, (RuntimeLogSettings s) => TypedResults.Ok(LogSettingsBody.From(s.Current)))
            .WithName("V2LogSettings").WithSummary("The log settings in force, in Triton's fields (needs X-API-Key).");
        logging.MapPost(string.Empty, Update)
            .WithName("V2LogSettingsUpdate").WithSummary("Change log settings at run time, e.g. {\"log_verbose_level\": 1} for Debug; answers the settings in force (needs X-API-Key).");
        return app;
    }

    private static async Task<Results<Ok<LogSettingsBody>, JsonHttpResult<V2Error>>> Update(HttpRequest request, RuntimeLogSettings settings)
    {
        try
        {
            var body = await RequestBody.ReadAsync(request, MaxBodyBytes).ConfigureAwait(false);
            using var json = JsonDocument.Parse(body);
            var changed = Apply(settings.Current, json.RootElement);
            settings.Change(changed);
            return TypedResults.Ok(LogSettingsBody.From(changed));
        }
        catch (RequestBodyTooLargeException e)
        {
            return V2Errors.Error(StatusCodes.Status413PayloadTooLarge, e.Message);
        }
        catch (JsonException e)
        {
            return V2Errors.Error(StatusCodes.Status400BadRequest, $"The body is not JSON: {e.Message}");
        }
        catch (InferenceException e)
        {
            return V2Errors.Error(V2Errors.StatusOf(e.Kind), e.Message);
        }
    }

    /// <summary>
    /// Only the fields sent change, and a null leaves its field as is (as Triton does); every field is checked before any
    /// applies. Triton's server names the fields log_warning and log_error while its protocol document says
    /// log_warnings and log_errors: both are read.
    /// </summary>
    internal static LogSettings Apply(LogSettings current, JsonElement request)
    {
        if (request.ValueKind != JsonValueKind.Object)
        {
            throw InferenceException.BadRequest($"The body must be a JSON object of log settings ({Names}), got a JSON {request.ValueKind.ToString().ToLowerInvariant()}.");
        }

        var next = current;
        foreach (var field in request.EnumerateObject().Where(f => f.Value.ValueKind != JsonValueKind.Null))
        {
            next = field.Name switch
            {
                "log_file" => field.Value.ValueKind == JsonValueKind.String && field.Value.GetString() == string.Empty
                    ? next
                    : throw InferenceException.BadRequest($"log_file cannot be changed at run time: logs go to the console (and to OTLP when configured); got {field.Value.GetRawText()}."),
                "log_info" => next with { Info = Bool(field) },
                "log_warning" or "log_warnings" => next with { Warning = Bool(field) },
                "log_error" or "log_errors" => next with { Error = Bool(field) },
                "log_verbose_level" => next with { VerboseLevel = field.Value.ValueKind == JsonValueKind.Number && field.Value.TryGetUInt32(out var level) ? level : throw Invalid(field, "an integer from 0") },
                "log_format" => next with { Format = Format(field) },
                _ => throw InferenceException.BadRequest($"Unknown log setting '{field.Name}'; the settings are {Names}."),
            };
        }

        return next;
    }

    private static bool Bool(JsonProperty field) => field.Value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw Invalid(field, "true or false"),
    };

    private static string Format(JsonProperty field) => field.Value.ValueKind == JsonValueKind.String
        ? field.Value.GetString() switch
        {
            LogSettings.DefaultFormat => LogSettings.DefaultFormat,
            LogSettings.Iso8601Format => LogSettings.Iso8601Format,
            _ => throw Invalid(field, $"\"{LogSettings.DefaultFormat}\" or \"{LogSettings.Iso8601Format}\""),
        }
        : throw Invalid(field, $"\"{LogSettings.DefaultFormat}\" or \"{LogSettings.Iso8601Format}\"");

    private static InferenceException Invalid(JsonProperty field, string expected) =>
        InferenceException.BadRequest($"{field.Name} must be {expected}, got {field.Value.GetRawText()}.");
}

/// <summary>Triton's log settings response, in its field order.</summary>
public sealed record LogSettingsBody(string LogFile, bool LogInfo, bool LogWarning, bool LogError, uint LogVerboseLevel, string LogFormat)
{
    internal static LogSettingsBody From(LogSettings s) => new(string.Empty, s.Info, s.Warning, s.Error, s.VerboseLevel, s.Format);
}

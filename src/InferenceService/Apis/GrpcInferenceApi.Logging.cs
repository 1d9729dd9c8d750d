using System.Text.Json;
using System.Text.Json.Nodes;
using Grpc.Core;
using InferenceService.Grpc;
using InferenceService.Runtime.Inference;

namespace InferenceService.Apis;

/// <summary>
/// Triton's logging extension over gRPC, on the REST route's rules (<see cref="LoggingApi"/>): served only with an
/// admin key, in the <c>x-api-key</c> metadata. The request's settings are read as the REST body would be (a bool,
/// uint32 or string each), so both check and answer alike; an empty map only reads.
/// </summary>
internal sealed partial class GrpcInferenceApi
{
    public override Task<LogSettingsResponse> LogSettings(LogSettingsRequest request, ServerCallContext context)
    {
        RequireAdmin(context, LoggingApi.ExtensionName);
        var settings = logSettings.Current;
        if (request.Settings.Count > 0)
        {
            try
            {
                settings = LoggingApi.Apply(settings, JsonSerializer.SerializeToElement(new JsonObject(request.Settings.Select(s => KeyValuePair.Create(s.Key, Json(s.Value))))));
            }
            catch (InferenceException e)
            {
                throw GrpcErrors.From(e);
            }

            logSettings.Change(settings);
        }

        var body = LogSettingsBody.From(settings);
        return Task.FromResult(new LogSettingsResponse
        {
            Settings =
            {
                ["log_file"] = new() { StringParam = body.LogFile },
                ["log_info"] = new() { BoolParam = body.LogInfo },
                ["log_warning"] = new() { BoolParam = body.LogWarning },
                ["log_error"] = new() { BoolParam = body.LogError },
                ["log_verbose_level"] = new() { Uint32Param = body.LogVerboseLevel },
                ["log_format"] = new() { StringParam = body.LogFormat },
            },
        });
    }

    /// <summary>An unset value is a null, which leaves its setting as it is (as a JSON null does).</summary>
    private static JsonNode? Json(LogSettingsRequest.Types.SettingValue value) => value.ParameterChoiceCase switch
    {
        LogSettingsRequest.Types.SettingValue.ParameterChoiceOneofCase.BoolParam => JsonValue.Create(value.BoolParam),
        LogSettingsRequest.Types.SettingValue.ParameterChoiceOneofCase.Uint32Param => JsonValue.Create(value.Uint32Param),
        LogSettingsRequest.Types.SettingValue.ParameterChoiceOneofCase.StringParam => JsonValue.Create(value.StringParam),
        _ => null,
    };
}

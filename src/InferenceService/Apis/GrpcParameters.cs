using Google.Protobuf.Collections;
using InferenceService.Grpc;
using InferenceService.Runtime.Inference;

namespace InferenceService.Apis;

/// <summary>
/// Triton's request parameters from a gRPC request. Its clients send priority as uint64_param and timeout as
/// int64_param; either integer type is accepted for both, anything else is refused as REST refuses a non-integer.
/// </summary>
internal static class GrpcParameters
{
    public static RequestParameters Read(MapField<string, InferParameter> parameters) =>
        new(Integer(parameters, "priority", "(0 = the model's default level)"), Integer(parameters, "timeout", "number of microseconds (0 = the model's default)"));

    private static long? Integer(MapField<string, InferParameter> parameters, string name, string meaning)
    {
        if (!parameters.TryGetValue(name, out var value))
        {
            return null;
        }

        return value.ParameterChoiceCase switch
        {
            InferParameter.ParameterChoiceOneofCase.Int64Param => value.Int64Param,
            InferParameter.ParameterChoiceOneofCase.Uint64Param => value.Uint64Param > long.MaxValue ? long.MaxValue : (long)value.Uint64Param,
            _ => throw InferenceException.BadRequest($"parameters.{name} must be an integer {meaning}."),
        };
    }
}

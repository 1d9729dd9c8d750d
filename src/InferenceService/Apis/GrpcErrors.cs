using System.Globalization;
using Grpc.Core;
using InferenceService.Runtime.Inference;

namespace InferenceService.Apis;

/// <summary>The one mapping from a request's error to a gRPC status.</summary>
internal static class GrpcErrors
{
    /// <summary>gRPC's Retry-After (server pushback, gRFC A6): clients with a retry policy wait this long before retrying.</summary>
    public const string RetryPushbackTrailer = "grpc-retry-pushback-ms";

    public static RpcException From(InferenceException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var status = new Status(StatusOf(error.Kind), error.Message);
        if (error.RetryAfterSeconds is not { } retry)
        {
            return new RpcException(status);
        }

        return new RpcException(status, new Metadata { { RetryPushbackTrailer, (retry * 1000L).ToString(CultureInfo.InvariantCulture) } });
    }

    private static StatusCode StatusOf(InferenceErrorKind kind) => kind switch
    {
        InferenceErrorKind.BadRequest => StatusCode.InvalidArgument,
        InferenceErrorKind.NotFound => StatusCode.NotFound,
        InferenceErrorKind.Unavailable => StatusCode.Unavailable,
        InferenceErrorKind.Timeout => StatusCode.DeadlineExceeded,
        _ => StatusCode.Internal,
    };
}

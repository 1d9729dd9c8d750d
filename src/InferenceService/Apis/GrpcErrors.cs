using Grpc.Core;
using InferenceService.Runtime.Inference;

namespace InferenceService.Apis;

/// <summary>The one mapping from a request's error to a gRPC status.</summary>
internal static class GrpcErrors
{
    public static RpcException From(InferenceException error) => new(new Status(StatusOf(error.Kind), error.Message));

    private static StatusCode StatusOf(InferenceErrorKind kind) => kind switch
    {
        InferenceErrorKind.BadRequest => StatusCode.InvalidArgument,
        InferenceErrorKind.NotFound => StatusCode.NotFound,
        InferenceErrorKind.Unavailable => StatusCode.Unavailable,
        InferenceErrorKind.Timeout => StatusCode.DeadlineExceeded,
        _ => StatusCode.Internal,
    };
}

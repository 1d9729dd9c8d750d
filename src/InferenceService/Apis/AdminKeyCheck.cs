namespace InferenceService.Apis;

/// <summary>The outcome of an admin key check: REST answers 401/403, gRPC UNAUTHENTICATED/PERMISSION_DENIED.</summary>
internal enum AdminKeyCheck
{
    Allowed,
    Missing,
    Wrong,
}

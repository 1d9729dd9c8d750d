namespace InferenceService.Runtime.Batching;

/// <summary>
/// A request as the scheduler sees it. <paramref name="Key"/> is equal exactly for requests that may share a batch:
/// same inputs, types, ranks and fixed dims, and the same length bucket.
/// </summary>
internal sealed record RequestShape(string Key, int Rows, IReadOnlyList<string> Outputs);

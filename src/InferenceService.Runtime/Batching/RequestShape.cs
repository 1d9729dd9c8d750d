namespace InferenceService.Runtime.Batching;

/// <summary>
/// A request as the scheduler sees it. <paramref name="Key"/> is equal exactly for requests that may share a batch:
/// same inputs, types, ranks and fixed dims, and the same length bucket. <paramref name="Length"/> is its padded length:
/// its longest variable dim (0 without one), what dynamic_batching.max_batch_tokens counts per row.
/// </summary>
internal sealed record RequestShape(string Key, int Rows, long Length, IReadOnlyList<string> Outputs);

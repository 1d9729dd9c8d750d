namespace InferenceService.Runtime.Repository;

/// <summary>One input or output: name, V2 datatype and dims (-1 = variable; without the batch dim when the model batches).</summary>
public sealed record TensorConfig
{
    public string Name { get; init; } = string.Empty;

    public string Datatype { get; init; } = string.Empty;

    public IReadOnlyList<long> Dims { get; init; } = [];

    /// <summary>The value variable-length inputs are padded with when requests of different lengths share a batch.</summary>
    public double? PadValue { get; init; }

    /// <summary>
    /// [min, max] every value of an integer input must lie in (an embedding table's rows, say), checked before the
    /// request is batched; when absent, the range the graph itself allows is read from it at load where it can be.
    /// </summary>
    public IReadOnlyList<long>? ValueRange { get; init; }
}

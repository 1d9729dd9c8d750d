namespace InferenceService.Runtime.Repository;

/// <summary>Runs made on every instance before the model reports ready. Variable dims take <see cref="Dims"/> or 1.</summary>
public sealed record WarmupConfig
{
    public int BatchSize { get; init; } = 1;

    public int Runs { get; init; } = 1;

    /// <summary>Per input, the dims to use (without the batch dim when the model batches).</summary>
    public IReadOnlyDictionary<string, long[]> Dims { get; init; } = new Dictionary<string, long[]>();
}

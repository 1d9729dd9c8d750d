namespace InferenceService.Runtime.Repository;

/// <summary>Runs made on every instance before the model reports ready. Variable dims take <see cref="Dims"/> or 1.</summary>
public sealed record WarmupConfig
{
    public int BatchSize { get; init; } = 1;

    public int Runs { get; init; } = 1;

    /// <summary>Per input, the dims to use (without the batch dim when the model batches).</summary>
    public IReadOnlyDictionary<string, long[]> Dims { get; init; } = new Dictionary<string, long[]>();

    /// <summary>The dims an input's warm-up tensor takes (without the batch dim): as given here, else its own with -1 as 1.</summary>
    public long[] DimsOf(TensorConfig input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Dims.TryGetValue(input.Name, out var given) ? given : input.Dims.Select(d => d < 0 ? 1 : d).ToArray();
    }
}

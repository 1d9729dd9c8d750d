namespace InferenceService.Client;

// Triton's statistics extension (GET /v2/models[/{name}[/versions/{version}]]/stats); durations in nanoseconds.

/// <summary>A model version's counts and cumulative durations.</summary>
/// <param name="Name">The model's name.</param>
/// <param name="Version">The version.</param>
/// <param name="LastInference">When it last ran, in milliseconds since the Unix epoch (0: never).</param>
/// <param name="InferenceCount">Inferences run (a batch of n counts n).</param>
/// <param name="ExecutionCount">Executions (a batch counts once).</param>
/// <param name="InferenceStats">Counts and durations by phase.</param>
/// <param name="BatchStats">Durations by batch size.</param>
public sealed record ModelStatistics(
    string Name,
    string Version,
    long LastInference,
    long InferenceCount,
    long ExecutionCount,
    InferenceStatistics InferenceStats,
    IReadOnlyList<BatchStatistics> BatchStats);

/// <summary>Requests by outcome and phase.</summary>
/// <param name="Success">Requests answered.</param>
/// <param name="Fail">Requests failed.</param>
/// <param name="Queue">Time spent queued.</param>
/// <param name="ComputeInput">Time preparing inputs.</param>
/// <param name="ComputeInfer">Time running the model.</param>
/// <param name="ComputeOutput">Time extracting outputs.</param>
/// <param name="CacheHit">Requests answered from the response cache.</param>
/// <param name="CacheMiss">Requests the cache could not answer.</param>
public sealed record InferenceStatistics(
    DurationStatistics Success,
    DurationStatistics Fail,
    DurationStatistics Queue,
    DurationStatistics ComputeInput,
    DurationStatistics ComputeInfer,
    DurationStatistics ComputeOutput,
    DurationStatistics CacheHit,
    DurationStatistics CacheMiss);

/// <summary>Compute durations of executions of one batch size.</summary>
/// <param name="BatchSize">The batch size.</param>
/// <param name="ComputeInput">Time preparing inputs.</param>
/// <param name="ComputeInfer">Time running the model.</param>
/// <param name="ComputeOutput">Time extracting outputs.</param>
public sealed record BatchStatistics(long BatchSize, DurationStatistics ComputeInput, DurationStatistics ComputeInfer, DurationStatistics ComputeOutput);

/// <summary>A count and the cumulative nanoseconds it took.</summary>
/// <param name="Count">How many.</param>
/// <param name="Ns">Their total duration in nanoseconds.</param>
public sealed record DurationStatistics(long Count, long Ns);

/// <summary>Triton's <c>{"model_stats": [...]}</c>.</summary>
internal sealed record ModelStatisticsResponse(IReadOnlyList<ModelStatistics> ModelStats);

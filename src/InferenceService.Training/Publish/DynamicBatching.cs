namespace InferenceService.Training.Publish;

/// <summary>
/// Batching on, work-conserving: no max_queue_delay_microseconds, so a request runs as soon as an instance is free and
/// requests that arrive while it is busy leave together. Written as an empty object.
/// </summary>
internal sealed record DynamicBatching;

namespace InferenceService.Training.Publish;

/// <summary>How long the runtime may hold a request to fill a batch.</summary>
internal sealed record DynamicBatching(int MaxQueueDelayMicroseconds);

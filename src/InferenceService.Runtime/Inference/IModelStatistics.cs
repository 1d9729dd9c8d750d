namespace InferenceService.Runtime.Inference;

/// <summary>A runner that counts what it does; both the direct runner and the batcher implement it.</summary>
public interface IModelStatistics
{
    ModelStatisticsSnapshot GetStatistics();

    /// <summary>Requests admitted to the queue and not yet in a batch (0 without a batcher).</summary>
    int QueueDepth { get; }
}

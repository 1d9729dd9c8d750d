using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Pipelines;
using InferenceService.Runtime.Telemetry;

namespace InferenceService.Runtime.Repository;

/// <summary>What a version gets besides its sessions and runner when it loads.</summary>
internal sealed record VersionServices(ITaskPipeline? Pipeline, ModelMetrics? Metrics, ValueRanges? InputRanges);

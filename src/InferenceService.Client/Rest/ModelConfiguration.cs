using System.Text.Json;
using System.Text.Json.Serialization;

namespace InferenceService.Client;

/// <summary>
/// A model version's configuration as Triton's <c>ModelConfig</c> (the model configuration extension): the commonly
/// used fields typed, the whole document in <see cref="Raw"/> (batching, warm-up, the service's own settings under
/// <c>parameters</c>, …).
/// </summary>
/// <param name="Name">The model's name.</param>
/// <param name="Platform">E.g. <c>onnxruntime_onnx</c>.</param>
/// <param name="Backend">E.g. <c>onnxruntime</c>.</param>
/// <param name="MaxBatchSize">The largest batch; 0 when the model does not batch (then dims include every dimension).</param>
/// <param name="Inputs">Triton's <c>input</c>: dims without the batch dimension when the model batches.</param>
/// <param name="Outputs">Triton's <c>output</c>.</param>
/// <param name="InstanceGroups">Triton's <c>instance_group</c>: how many instances, on which kind of device.</param>
/// <param name="DynamicBatching">Triton's <c>dynamic_batching</c>; null when the model runs requests alone.</param>
public sealed record ModelConfiguration(
    string Name,
    string Platform,
    string Backend,
    int MaxBatchSize,
    [property: JsonPropertyName("input")] IReadOnlyList<ModelTensorConfiguration> Inputs,
    [property: JsonPropertyName("output")] IReadOnlyList<ModelTensorConfiguration> Outputs,
    [property: JsonPropertyName("instance_group")] IReadOnlyList<ModelInstanceGroup>? InstanceGroups,
    ModelDynamicBatching? DynamicBatching)
{
    /// <summary>The whole configuration document as the server sent it.</summary>
    [JsonIgnore]
    public JsonElement Raw { get; init; }
}

/// <summary>An input or output of a model configuration.</summary>
/// <param name="Name">The tensor's name.</param>
/// <param name="DataType">Triton's type name, e.g. <c>TYPE_FP32</c>, <c>TYPE_STRING</c> (the protocol's BYTES).</param>
/// <param name="Dims">The dimensions (-1 where variable), without the batch dimension when the model batches.</param>
public sealed record ModelTensorConfiguration(string Name, string DataType, IReadOnlyList<long> Dims);

/// <summary>A group of model instances.</summary>
/// <param name="Name">The group's name.</param>
/// <param name="Count">Instances in the group.</param>
/// <param name="Kind"><c>KIND_GPU</c> or <c>KIND_CPU</c>: where they actually run.</param>
public sealed record ModelInstanceGroup(string? Name, int Count, string Kind);

/// <summary>The dynamic batcher's settings.</summary>
/// <param name="PreferredBatchSize">Batch sizes the batcher prefers to form.</param>
/// <param name="MaxQueueDelayMicroseconds">How long a request may wait for others to join its batch.</param>
public sealed record ModelDynamicBatching(IReadOnlyList<int>? PreferredBatchSize, long MaxQueueDelayMicroseconds);

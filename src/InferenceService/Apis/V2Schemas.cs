using System.Text.Json;
using System.Text.Json.Serialization;

namespace InferenceService.Apis;

// Wire shapes of the Open Inference Protocol, for the OpenAPI document and the metadata responses.
// Infer bodies are read and written by the runtime's streaming codec, not by these records.

/// <summary>An error: V2 routes answer <c>{"error": "..."}</c>.</summary>
public sealed record V2Error(string Error);

public sealed record V2ServerMetadata(string Name, string Version, IReadOnlyList<string> Extensions);

public sealed record TensorMetadata(string Name, string Datatype, IReadOnlyList<long> Shape);

public sealed record V2ModelMetadata(
    string Name,
    IReadOnlyList<string> Versions,
    string Platform,
    IReadOnlyList<TensorMetadata> Inputs,
    IReadOnlyList<TensorMetadata> Outputs,
    V2ModelMetadataParameters Parameters);

/// <summary>
/// Extra facts beyond the protocol: where the model runs and how it batches, and what its ONNX file says about itself
/// (absent under ModelRepository:StrictConfig, which does not read the graph before loading it).
/// </summary>
public sealed record V2ModelMetadataParameters(
    string State,
    string? Reason,
    string ExecutionProvider,
    int InstanceCount,
    int IntraOpThreads,
    int MaxBatchSize,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ProducerName = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ProducerVersion = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Opset = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? IrVersion = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? GraphName = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DocString = null);

public sealed record V2ModelReady(string Name, string Version, bool Ready);

public sealed record InferInputBody(string Name, IReadOnlyList<long> Shape, string Datatype, JsonElement Data, Dictionary<string, JsonElement>? Parameters = null);

public sealed record InferRequestedOutputBody(string Name, Dictionary<string, JsonElement>? Parameters = null);

public sealed record InferRequestBody(
    IReadOnlyList<InferInputBody> Inputs,
    string? Id = null,
    IReadOnlyList<InferRequestedOutputBody>? Outputs = null,
    Dictionary<string, JsonElement>? Parameters = null);

public sealed record InferOutputBody(string Name, IReadOnlyList<long> Shape, string Datatype, JsonElement Data);

public sealed record InferResponseBody(string ModelName, string ModelVersion, IReadOnlyList<InferOutputBody> Outputs, string? Id = null);

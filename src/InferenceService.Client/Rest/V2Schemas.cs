namespace InferenceService.Client;

// Wire shapes of the Open Inference Protocol's metadata routes (snake_case JSON), as the service answers them.

/// <summary>The server's name, version and the protocol extensions this configuration serves.</summary>
/// <param name="Name">The server's name (<c>inference-service</c>).</param>
/// <param name="Version">The server's version.</param>
/// <param name="Extensions">Extensions served, e.g. <c>binary_tensor_data</c>, <c>model_repository</c>.</param>
public sealed record ServerMetadata(string Name, string Version, IReadOnlyList<string> Extensions);

/// <summary>A model's inputs, outputs and versions.</summary>
/// <param name="Name">The model's name.</param>
/// <param name="Versions">The versions served.</param>
/// <param name="Platform">E.g. <c>onnxruntime_onnx</c>.</param>
/// <param name="Inputs">Input tensors (the batch dimension as -1 when the model batches).</param>
/// <param name="Outputs">Output tensors.</param>
/// <param name="Parameters">This service's extra facts: state, execution provider, instances, batching.</param>
public sealed record ModelMetadata(
    string Name,
    IReadOnlyList<string> Versions,
    string Platform,
    IReadOnlyList<TensorMetadata> Inputs,
    IReadOnlyList<TensorMetadata> Outputs,
    ModelMetadataParameters? Parameters);

/// <summary>A tensor's name, datatype and shape (-1 for a variable dimension).</summary>
/// <param name="Name">The tensor's name.</param>
/// <param name="Datatype">E.g. <c>FP32</c>, <c>INT64</c>, <c>BYTES</c>.</param>
/// <param name="Shape">The dimensions, -1 where variable.</param>
public sealed record TensorMetadata(string Name, string Datatype, IReadOnlyList<long> Shape);

/// <summary>Where a model version runs and how it batches (the service's <c>parameters</c> of model metadata).</summary>
/// <param name="State">E.g. <c>READY</c>.</param>
/// <param name="Reason">Why it is not ready, when it is not.</param>
/// <param name="ExecutionProvider">The ONNX Runtime provider in use: <c>cpu</c> or <c>cuda</c>.</param>
/// <param name="InstanceCount">Sessions serving the version.</param>
/// <param name="IntraOpThreads">Threads per session (0: ONNX Runtime's default).</param>
/// <param name="MaxBatchSize">The largest batch (0: the model does not batch).</param>
public sealed record ModelMetadataParameters(string State, string? Reason, string ExecutionProvider, int InstanceCount, int IntraOpThreads, int MaxBatchSize);

/// <summary>A row of the repository index: a model version and its state.</summary>
/// <param name="Name">The model's name.</param>
/// <param name="Version">The version, when the row is about one.</param>
/// <param name="State"><c>READY</c>, <c>UNAVAILABLE</c> or <c>LOADING</c>.</param>
/// <param name="Reason">Why it is not ready, or why it was unloaded.</param>
public sealed record RepositoryModel(string Name, string? Version, string State, string? Reason);

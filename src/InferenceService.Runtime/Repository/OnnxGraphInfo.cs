namespace InferenceService.Runtime.Repository;

/// <summary>What an ONNX file says about itself: its graph's inputs and outputs, who made it, and the files it needs.</summary>
public sealed record OnnxGraphInfo
{
    public required string Path { get; init; }

    public IReadOnlyList<OnnxTensorInfo> Inputs { get; init; } = [];

    public IReadOnlyList<OnnxTensorInfo> Outputs { get; init; } = [];

    public string? ProducerName { get; init; }

    public string? ProducerVersion { get; init; }

    public long IrVersion { get; init; }

    /// <summary>The opset of the default (ai.onnx) domain, 0 when the file imports none.</summary>
    public long Opset { get; init; }

    public string? DocString { get; init; }

    public string? GraphName { get; init; }

    /// <summary>The external data files the initializers name (relative to the model file), each once.</summary>
    public IReadOnlyList<string> ExternalDataFiles { get; init; } = [];
}

/// <summary>
/// One graph input or output. <see cref="Dims"/> holds -1 for a symbolic or unknown dim; <see cref="DimNames"/> the
/// symbol (or null). <see cref="Datatype"/> is the V2 name, or null when V2 has none for <see cref="OnnxType"/>.
/// </summary>
public sealed record OnnxTensorInfo(string Name, int OnnxType, string OnnxTypeName, string? Datatype, IReadOnlyList<long> Dims, IReadOnlyList<string?> DimNames)
{
    /// <summary>Dim 0 exists and is not fixed: a batch dim the server may fill.</summary>
    public bool HasSymbolicFirstDim => Dims.Count > 0 && Dims[0] < 0;
}

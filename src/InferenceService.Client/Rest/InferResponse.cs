namespace InferenceService.Client;

/// <summary>An infer response: which version answered, the echoed id and the output tensors (JSON or binary alike).</summary>
public sealed class InferResponse
{
    /// <summary>A response of <paramref name="modelName"/> version <paramref name="modelVersion"/>.</summary>
    public InferResponse(string modelName, string modelVersion, string? id, IReadOnlyList<InferTensor> outputs)
    {
        ModelName = modelName;
        ModelVersion = modelVersion;
        Id = id;
        Outputs = outputs;
    }

    /// <summary>The model that answered.</summary>
    public string ModelName { get; }

    /// <summary>The version that answered (the newest ready one when the request named none).</summary>
    public string ModelVersion { get; }

    /// <summary>The request's id, when it had one.</summary>
    public string? Id { get; }

    /// <summary>The outputs, in the server's order.</summary>
    public IReadOnlyList<InferTensor> Outputs { get; }

    /// <summary>The output named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">The response has no such output.</exception>
    public InferTensor GetOutput(string name) =>
        Outputs.FirstOrDefault(o => o.Name == name)
        ?? throw new KeyNotFoundException($"The response has no output '{name}'; it has: {string.Join(", ", Outputs.Select(o => o.Name))}.");
}

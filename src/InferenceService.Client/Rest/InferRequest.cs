namespace InferenceService.Client;

/// <summary>An Open Inference Protocol infer request: inputs, optionally the outputs wanted, and how tensors travel.</summary>
public sealed class InferRequest
{
    /// <summary>A request with these inputs.</summary>
    public InferRequest(params IEnumerable<InferTensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        Inputs = [.. inputs];
    }

    /// <summary>The input tensors.</summary>
    public IList<InferTensor> Inputs { get; }

    /// <summary>The outputs to return (a subset, or each's own binary choice); empty means every output.</summary>
    public IList<InferRequestedOutput> Outputs { get; } = [];

    /// <summary>Echoed in the response; ties the client's logs to the server's.</summary>
    public string? Id { get; set; }

    /// <summary>
    /// Send the inputs with the binary tensor data extension (<c>Inference-Header-Content-Length</c>, raw
    /// little-endian bytes after the JSON header) instead of JSON numbers: smaller, exact, and the only way for FP16.
    /// </summary>
    public bool BinaryInputs { get; set; }

    /// <summary>Ask for every output as binary data (<c>binary_data_output</c>); the client decodes them the same.</summary>
    public bool BinaryOutputs { get; set; }

    /// <summary>The request's priority level (<c>parameters.priority</c>; 1 is highest, 0 the model's default).</summary>
    public long? Priority { get; set; }

    /// <summary>The request's queue timeout in microseconds (<c>parameters.timeout</c>; 0 the model's default).</summary>
    public long? TimeoutMicroseconds { get; set; }
}

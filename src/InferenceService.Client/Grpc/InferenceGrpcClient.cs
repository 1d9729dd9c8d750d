using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using InferenceService.Grpc;

namespace InferenceService.Client;

/// <summary>
/// The service's gRPC API (Triton's <c>inference.GRPCInferenceService</c>, on its own HTTP/2 port, 8001 by default):
/// <see cref="Client"/> is the client generated from the service's own <c>grpc_service.proto</c> for every RPC;
/// <see cref="InferAsync"/> runs inference with the same <see cref="InferTensor"/>s as the REST client. Errors are
/// <see cref="RpcException"/>s (InvalidArgument, NotFound, Unavailable, DeadlineExceeded).
/// </summary>
public sealed class InferenceGrpcClient : IDisposable
{
    /// <summary>The metadata key of the admin key that the repository RPCs need.</summary>
    public const string AdminKeyMetadata = "x-api-key";

    private InferenceGrpcClient(GrpcChannel channel)
    {
        Channel = channel;
        Client = new GRPCInferenceService.GRPCInferenceServiceClient(channel);
    }

    /// <summary>The channel; disposed with this client.</summary>
    public GrpcChannel Channel { get; }

    /// <summary>The generated client: ServerLive, ModelMetadata, ModelInfer, ModelStreamInfer, ModelConfig, ModelStatistics, Repository*.</summary>
    public GRPCInferenceService.GRPCInferenceServiceClient Client { get; }

    /// <summary>A client of the service at <paramref name="address"/> (e.g. <c>http://127.0.0.1:8001</c>, cleartext HTTP/2).</summary>
    public static InferenceGrpcClient Create(Uri address, GrpcChannelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        return new InferenceGrpcClient(GrpcChannel.ForAddress(address, options ?? new GrpcChannelOptions()));
    }

    /// <summary>Call metadata carrying the admin key, for the repository RPCs.</summary>
    public static Metadata AdminKey(string key) => new() { { AdminKeyMetadata, key } };

    /// <summary>
    /// Runs ModelInfer: inputs go as <c>raw_input_contents</c> (the binary tensor encoding), outputs come back from
    /// <c>raw_output_contents</c> decoded into typed tensors.
    /// </summary>
    public async Task<InferResponse> InferAsync(string model, IEnumerable<InferTensor> inputs, string? version = null, string? id = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(model);
        ArgumentNullException.ThrowIfNull(inputs);
        var request = new ModelInferRequest { ModelName = model, ModelVersion = version ?? string.Empty, Id = id ?? string.Empty };
        foreach (var input in inputs)
        {
            request.Inputs.Add(new ModelInferRequest.Types.InferInputTensor { Name = input.Name, Datatype = input.Datatype, Shape = { input.Shape } });
            var bytes = new System.Buffers.ArrayBufferWriter<byte>((int)Math.Min(BinaryTensorCodec.SizeOf(input), Array.MaxLength));
            BinaryTensorCodec.Encode(input, bytes);
            request.RawInputContents.Add(UnsafeByteOperations.UnsafeWrap(bytes.WrittenMemory));
        }

        var response = await Client.ModelInferAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
        return ToInferResponse(response);
    }

    /// <inheritdoc />
    public void Dispose() => Channel.Dispose();

    /// <summary>
    /// Decodes a ModelInferResponse's <c>raw_output_contents</c> into typed tensors (for answers of the generated
    /// client's ModelInfer or ModelStreamInfer).
    /// </summary>
    /// <exception cref="InvalidDataException">The outputs are not all raw, or their bytes don't match their shapes.</exception>
    public static InferResponse ToInferResponse(ModelInferResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.RawOutputContents.Count != response.Outputs.Count)
        {
            throw new InvalidDataException($"The response has {response.Outputs.Count} outputs but {response.RawOutputContents.Count} raw_output_contents; typed contents are not read by this client.");
        }

        var outputs = response.Outputs.Select((o, i) =>
        {
            var shape = o.Shape.ToArray();
            var data = BinaryTensorCodec.Decode(o.Datatype, InferTensor.ElementCount(shape, o.Name), response.RawOutputContents[i].Span, o.Name);
            return InferTensor.FromWire(o.Name, o.Datatype, shape, data);
        }).ToList();
        return new InferResponse(response.ModelName, response.ModelVersion, string.IsNullOrEmpty(response.Id) ? null : response.Id, outputs);
    }
}

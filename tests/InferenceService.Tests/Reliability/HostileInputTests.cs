using System.Net;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using InferenceService.Grpc;
using Xunit.Abstractions;

namespace InferenceService.Tests.Reliability;

/// <summary>
/// The hostile corpus against a real Kestrel server: every case a 4xx with a message, never a 5xx, and the server
/// ready afterwards; malformed gRPC requests get a status other than Internal/Unknown.
/// </summary>
public sealed class HostileInputTests(HostileService service, ITestOutputHelper output) : IClassFixture<HostileService>
{
    private const int MinimumCases = 200;

    [Fact]
    public void Corpus_EveryRoute_AtLeast200Cases()
    {
        Assert.True(HostileCorpus.All.Count >= MinimumCases, $"{HostileCorpus.All.Count} cases");
        Assert.Empty(HostileCorpus.Routes.Except(HostileCorpus.All.Select(c => c.Route)));
        Assert.Equal(HostileCorpus.All.Count, HostileCorpus.All.Select(c => c.ToString()).Distinct().Count());
    }

    [Fact]
    public async Task HostileHttpRequests_EveryRoute_4xxWithMessageAndServerStaysReady()
    {
        var failures = new List<string>();
        var statuses = new Dictionary<int, int>();
        foreach (var hostile in HostileCorpus.All)
        {
            using var request = hostile.Build();
            HttpResponseMessage response;
            try
            {
                response = await service.Client.SendAsync(request);
            }
            catch (HttpRequestException e)
            {
                failures.Add($"{hostile}: no response ({e.Message})");
                continue;
            }

            using var disposeResponse = response;
            var body = await response.Content.ReadAsStringAsync();
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            if (status is < 400 or > 499)
            {
                failures.Add($"{hostile}: {status} {Shorten(body)}");
            }
            else if (!hostile.ProtocolLevel && Message(body) is not { Length: >= 10 })
            {
                failures.Add($"{hostile}: {status} without a message: '{Shorten(body)}'");
            }
        }

        output.WriteLine($"{HostileCorpus.All.Count} cases; statuses: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}");
        Assert.True(failures.Count == 0, $"{failures.Count} of {HostileCorpus.All.Count} cases failed:\n" + string.Join('\n', failures));
        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync(new Uri("/v2/health/ready", UriKind.Relative))).StatusCode);
    }

    public static TheoryData<string> GrpcCases() => [.. GrpcCorpus.Keys];

    [Theory]
    [MemberData(nameof(GrpcCases))]
    public async Task HostileGrpcRequest_Malformed_ClientErrorStatus(string name)
    {
        using var channel = GrpcChannel.ForAddress(service.GrpcAddress);
        var client = new GRPCInferenceService.GRPCInferenceServiceClient(channel);

        var error = await Assert.ThrowsAsync<RpcException>(() => GrpcCorpus[name](client));

        Assert.DoesNotContain(error.StatusCode, new[] { StatusCode.Internal, StatusCode.Unknown, StatusCode.OK });
        Assert.False(string.IsNullOrWhiteSpace(error.Status.Detail), "no detail");
        Assert.True((await client.ServerReadyAsync(new ServerReadyRequest())).Ready);
    }

    [Fact]
    public async Task GrpcFrame_UndecodableProtobuf_NeitherOkNorInternal()
    {
        using var http = new HttpClient(new SocketsHttpHandler());
        byte[] garbage = [0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x01, 0x02];
        using var content = new ByteArrayContent([0, 0, 0, 0, (byte)garbage.Length, .. garbage]);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/grpc");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(service.GrpcAddress, "/inference.GRPCInferenceService/ModelInfer"))
        {
            Content = content,
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.TryAddWithoutValidation("TE", "trailers");

        using var response = await http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        var status = response.TrailingHeaders.TryGetValues("grpc-status", out var t) ? t.First()
            : response.Headers.TryGetValues("grpc-status", out var h) ? h.First() : null;

        Assert.True(status is not null, $"HTTP {(int)response.StatusCode} {response.Version}, headers: {response.Headers}, trailers: {response.TrailingHeaders}");
        // Grpc.AspNetCore answers a message it cannot deserialize with UNKNOWN (2) before any of our code runs: not a
        // success and not INTERNAL, which is what matters (INVALID_ARGUMENT would need a custom marshaller).
        output.WriteLine($"grpc-status {status}, grpc-message {(response.TrailingHeaders.TryGetValues("grpc-message", out var m) ? m.First() : null)}");
        Assert.DoesNotContain(status, new[] { "0", ((int)StatusCode.Internal).ToString() });
    }

    private static readonly Dictionary<string, Func<GRPCInferenceService.GRPCInferenceServiceClient, Task>> GrpcCorpus = new()
    {
        ["unknown model"] = c => c.ModelInferAsync(Infer("nope")).ResponseAsync,
        ["path traversal in the model name"] = c => c.ModelInferAsync(Infer("../minilm")).ResponseAsync,
        ["unknown version"] = c => c.ModelInferAsync(Infer("minilm", "7")).ResponseAsync,
        ["version not a number"] = c => c.ModelInferAsync(Infer("minilm", "abc")).ResponseAsync,
        ["path traversal in the version"] = c => c.ModelInferAsync(Infer("minilm", "../1")).ResponseAsync,
        ["no inputs"] = c => c.ModelInferAsync(new ModelInferRequest { ModelName = "minilm" }).ResponseAsync,
        ["contents shorter than the shape"] = c => c.ModelInferAsync(Infer("minilm", shape: [1, 5])).ResponseAsync,
        ["negative dim"] = c => c.ModelInferAsync(Infer("minilm", shape: [1, -3])).ResponseAsync,
        ["shape product overflows"] = c => c.ModelInferAsync(Infer("minilm", shape: [4294967296, 4294967296, 4294967296])).ResponseAsync,
        ["unknown datatype"] = c => c.ModelInferAsync(Infer("minilm", datatype: "FLOAT99")).ResponseAsync,
        ["datatype wrong for the model"] = c => c.ModelInferAsync(FloatIds()).ResponseAsync,
        ["raw contents for fewer inputs"] = c => c.ModelInferAsync(RawIds(2)).ResponseAsync,
        ["raw contents of the wrong length"] = c => c.ModelInferAsync(RawIds(3, bytes: 5)).ResponseAsync,
        ["raw and typed contents together"] = c => c.ModelInferAsync(Mixed()).ResponseAsync,
        ["metadata of an unknown model"] = c => c.ModelMetadataAsync(new ModelMetadataRequest { Name = "nope" }).ResponseAsync,
        ["metadata of a traversal name"] = c => c.ModelMetadataAsync(new ModelMetadataRequest { Name = "../../etc/passwd" }).ResponseAsync,
        ["readiness of an unknown version"] = c => c.ModelReadyAsync(new ModelReadyRequest { Name = "minilm", Version = "-1" }).ResponseAsync,
    };

    private static ModelInferRequest Infer(string model, string version = "", long[]? shape = null, string datatype = "INT64")
    {
        var request = new ModelInferRequest { ModelName = model, ModelVersion = version };
        foreach (var name in new[] { "input_ids", "attention_mask", "token_type_ids" })
        {
            request.Inputs.Add(new ModelInferRequest.Types.InferInputTensor
            {
                Name = name,
                Datatype = datatype,
                Shape = { shape ?? [1, 3] },
                Contents = new InferTensorContents { Int64Contents = { 101, 7592, 102 } },
            });
        }

        return request;
    }

    private static ModelInferRequest FloatIds()
    {
        var request = Infer("minilm");
        request.Inputs[0].Datatype = "FP32";
        request.Inputs[0].Contents = new InferTensorContents { Fp32Contents = { 1f, 2f, 3f } };
        return request;
    }

    private static ModelInferRequest RawIds(int contents, int bytes = 24)
    {
        var request = Infer("minilm");
        foreach (var input in request.Inputs)
        {
            input.Contents = null;
        }

        for (var i = 0; i < contents; i++)
        {
            request.RawInputContents.Add(ByteString.CopyFrom(new byte[bytes]));
        }

        return request;
    }

    private static ModelInferRequest Mixed()
    {
        var request = Infer("minilm");
        request.RawInputContents.Add(ByteString.CopyFrom(new byte[24]));
        return request;
    }

    /// <summary>The message of a V2 error (<c>error</c>) or a problem details body (<c>detail</c>, or <c>title</c>).</summary>
    private static string? Message(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            foreach (var field in new[] { "error", "detail", "title" })
            {
                if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String)
                {
                    return value.GetString();
                }
            }

            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Shorten(string text) => text.Length > 200 ? text[..200] + "…" : text;
}

using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace InferenceService.Client;

/// <summary>
/// A typed client of the service's Open Inference Protocol (KServe V2) REST API as Triton speaks it: health,
/// metadata, model configuration, statistics, inference (JSON or binary tensors) and the repository API. Built on an
/// <see cref="HttpClient"/> whose <see cref="HttpClient.BaseAddress"/> is the service (e.g. <c>http://127.0.0.1:8000</c>);
/// register it with <c>services.AddInferenceClient(uri)</c> to get it from <c>IHttpClientFactory</c>. A refusal
/// throws <see cref="InferenceServiceException"/> with the service's status code and message.
/// </summary>
public sealed partial class InferenceClient
{
    private const string AdminKeyHeader = "X-API-Key";

    private readonly HttpClient _http;
    private readonly Uri _base;
    private readonly InferenceClientOptions _options;

    /// <summary>A client over <paramref name="httpClient"/>, which stays the caller's to dispose.</summary>
    /// <exception cref="ArgumentException">The client has no <see cref="HttpClient.BaseAddress"/>.</exception>
    public InferenceClient(HttpClient httpClient, InferenceClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        _http = httpClient;
        _base = ServiceUris.Base(httpClient);
        _options = options ?? new InferenceClientOptions();
    }

    /// <summary>The server's name, version and the extensions it serves (<c>GET /v2</c>).</summary>
    public Task<ServerMetadata> GetServerMetadataAsync(CancellationToken cancellationToken = default) =>
        GetJsonAsync("v2", ClientJsonContext.Default.ServerMetadata, cancellationToken);

    /// <summary>Whether the process is up (<c>GET /v2/health/live</c>): true on 200.</summary>
    public Task<bool> IsServerLiveAsync(CancellationToken cancellationToken = default) => IsOkAsync("v2/health/live", cancellationToken);

    /// <summary>Whether every model is loaded and warmed (<c>GET /v2/health/ready</c>): true on 200, false on 503.</summary>
    public Task<bool> IsServerReadyAsync(CancellationToken cancellationToken = default) => IsOkAsync("v2/health/ready", cancellationToken);

    /// <summary>A model's inputs, outputs and versions (<c>GET /v2/models/{model}[/versions/{version}]</c>).</summary>
    /// <exception cref="InferenceServiceException">404 for an unknown model or version, 400 for a malformed version.</exception>
    public Task<ModelMetadata> GetModelMetadataAsync(string model, string? version = null, CancellationToken cancellationToken = default) =>
        GetJsonAsync(ModelPath(model, version, string.Empty), ClientJsonContext.Default.ModelMetadata, cancellationToken);

    /// <summary>Whether a model (version) is ready (<c>GET .../ready</c>): true on 200, false on 503.</summary>
    /// <exception cref="InferenceServiceException">404 for an unknown model or version.</exception>
    public Task<bool> IsModelReadyAsync(string model, string? version = null, CancellationToken cancellationToken = default) =>
        IsOkAsync(ModelPath(model, version, "/ready"), cancellationToken);

    /// <summary>The version's configuration as Triton's <c>ModelConfig</c> (<c>GET .../config</c>), typed and raw.</summary>
    /// <exception cref="InferenceServiceException">404 for an unknown model or version.</exception>
    public async Task<ModelConfiguration> GetModelConfigAsync(string model, string? version = null, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, Url(ModelPath(model, version, "/config"))), cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(bytes);
        var typed = document.RootElement.Deserialize(ClientJsonContext.Default.ModelConfiguration)
            ?? throw new InvalidDataException("The configuration is null.");
        return typed with { Raw = document.RootElement.Clone() };
    }

    /// <summary>
    /// Statistics (<c>GET /v2/models[/{model}[/versions/{version}]]/stats</c>): every model's without a model, every
    /// served version's without a version.
    /// </summary>
    /// <exception cref="InferenceServiceException">404 for an unknown model or version.</exception>
    public async Task<IReadOnlyList<ModelStatistics>> GetModelStatisticsAsync(string? model = null, string? version = null, CancellationToken cancellationToken = default)
    {
        var path = model is null ? "v2/models/stats" : ModelPath(model, version, "/stats");
        var body = await GetJsonAsync(path, ClientJsonContext.Default.ModelStatisticsResponse, cancellationToken).ConfigureAwait(false);
        return body.ModelStats;
    }

    /// <summary>
    /// Runs inference (<c>POST /v2/models/{model}[/versions/{version}]/infer</c>): inputs as JSON or, with
    /// <see cref="InferRequest.BinaryInputs"/>, the binary tensor data extension; binary outputs are decoded alike.
    /// </summary>
    /// <exception cref="InferenceServiceException">400 bad inputs, 404 unknown model, 413 too large, 503 not ready or busy (with <see cref="InferenceServiceException.RetryAfter"/>), 504 timed out in the queue.</exception>
    public async Task<InferResponse> InferAsync(string model, InferRequest request, string? version = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var response = await SendAsync(V2InferCodec.CreateRequest(Url(ModelPath(model, version, "/infer")), request), cancellationToken).ConfigureAwait(false);
        return await V2InferCodec.ReadResponseAsync(response, cancellationToken).ConfigureAwait(false);
    }

    private static string ModelPath(string model, string? version, string suffix)
    {
        ArgumentException.ThrowIfNullOrEmpty(model);
        var path = "v2/models/" + Uri.EscapeDataString(model);
        return (version is null ? path : path + "/versions/" + Uri.EscapeDataString(version)) + suffix;
    }

    private Uri Url(string relative) => new(_base, relative);

    private async Task<T> GetJsonAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, Url(path)), cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync(response, type, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return await JsonSerializer.DeserializeAsync(stream, type, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidDataException($"The service answered null for {typeof(T).Name}.");
        }
    }

    /// <summary>200 is true, 503 (not ready) false; anything else (404 unknown model) throws.</summary>
    private async Task<bool> IsOkAsync(string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Url(path));
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return response.StatusCode switch
        {
            HttpStatusCode.OK => true,
            HttpStatusCode.ServiceUnavailable => false,
            _ => throw await ErrorResponses.ReadAsync(response, cancellationToken).ConfigureAwait(false),
        };
    }

    /// <summary>Sends and disposes <paramref name="request"/>; the response is the caller's, and a success.</summary>
    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            using (response)
            {
                throw await ErrorResponses.ReadAsync(response, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}

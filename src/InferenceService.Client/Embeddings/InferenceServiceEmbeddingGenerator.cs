using System.Net.Http.Json;
using Microsoft.Extensions.AI;

namespace InferenceService.Client;

/// <summary>
/// Microsoft.Extensions.AI's <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> over the service's sentence
/// embeddings (<c>POST /v1/text/embeddings</c>): unit-length vectors, one per text, in the order given. Each
/// embedding carries its model id and, in its <c>AdditionalProperties</c>, its <c>tokens</c> and whether it was
/// <c>truncated</c>; <see cref="GeneratedEmbeddings{TEmbedding}.Usage"/> counts the input tokens.
/// </summary>
public sealed class InferenceServiceEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The provider name in the metadata.</summary>
    public const string ProviderName = "inference-service";

    private const string Route = "v1/text/embeddings";

    private readonly Func<HttpClient> _client;
    private readonly Uri _endpoint;
    private readonly InferenceServiceEmbeddingOptions _options;
    private readonly EmbeddingGeneratorMetadata _metadata;

    /// <summary>A generator over <paramref name="httpClient"/> (its BaseAddress is the service), which stays the caller's to dispose.</summary>
    public InferenceServiceEmbeddingGenerator(HttpClient httpClient, InferenceServiceEmbeddingOptions? options = null)
        : this(() => httpClient, ServiceUris.Base(httpClient ?? throw new ArgumentNullException(nameof(httpClient))), options)
    {
    }

    /// <summary>A generator whose client comes from <paramref name="client"/> on each call (IHttpClientFactory: handlers rotate).</summary>
    internal InferenceServiceEmbeddingGenerator(Func<HttpClient> client, Uri baseAddress, InferenceServiceEmbeddingOptions? options)
    {
        _client = client;
        _options = (options ?? new InferenceServiceEmbeddingOptions()).Validated();
        var normalised = ServiceUris.Normalise(baseAddress);
        _endpoint = new Uri(normalised, Route);
        _metadata = new EmbeddingGeneratorMetadata(ProviderName, normalised, _options.ModelId, _options.Dimensions);
    }

    /// <inheritdoc />
    /// <exception cref="InferenceServiceException">The service refused the texts (400 too many or too long, 503 not ready).</exception>
    /// <exception cref="NotSupportedException">Another model or width was asked for than the route serves.</exception>
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var model = options?.ModelId ?? _options.ModelId;
        var dimensions = options?.Dimensions ?? _options.Dimensions;
        if (model != _options.ModelId || dimensions != _options.Dimensions)
        {
            throw new NotSupportedException($"This generator serves '{_options.ModelId}' ({_options.Dimensions} dimensions); '{model}' with {dimensions} dimensions was asked for.");
        }

        var texts = values.ToList();
        var result = new GeneratedEmbeddings<Embedding<float>>(texts.Count);
        long tokens = 0;
        foreach (var chunk in texts.Chunk(_options.MaxBatchSize))
        {
            var response = await PostAsync(chunk, cancellationToken).ConfigureAwait(false);
            foreach (var item in response.Data.OrderBy(d => d.Index))
            {
                result.Add(new Embedding<float>(item.Embedding)
                {
                    ModelId = response.Model,
                    AdditionalProperties = new AdditionalPropertiesDictionary { ["tokens"] = item.Tokens, ["truncated"] = item.Truncated },
                });
                tokens += item.Tokens;
            }
        }

        result.Usage = new UsageDetails { InputTokenCount = tokens, TotalTokenCount = tokens };
        return result;
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <summary>Nothing to release: the HttpClient belongs to whoever gave it (or to the factory).</summary>
    public void Dispose()
    {
    }

    private async Task<TextEmbeddingsResponse> PostAsync(string[] texts, CancellationToken cancellationToken)
    {
        using var content = JsonContent.Create(new TextEmbeddingsRequest(texts), ClientJsonContext.Default.TextEmbeddingsRequest);
        using var response = await _client().PostAsync(_endpoint, content, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await ErrorResponses.ReadAsync(response, cancellationToken).ConfigureAwait(false);
        }

        var body = await response.Content.ReadFromJsonAsync(ClientJsonContext.Default.TextEmbeddingsResponse, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException("The embeddings response is null.");

        // The route embeds with one model; answers from another, or of another width or count, are not these texts' vectors.
        if (body.Model != _options.ModelId || body.Dimensions != _options.Dimensions || body.Data.Count != texts.Length)
        {
            throw new InvalidDataException($"Expected {texts.Length} embeddings of '{_options.ModelId}' ({_options.Dimensions} dimensions); the service answered {body.Data.Count} of '{body.Model}' ({body.Dimensions}).");
        }

        return body;
    }
}

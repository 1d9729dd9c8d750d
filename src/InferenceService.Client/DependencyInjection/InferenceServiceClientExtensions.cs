using InferenceService.Client;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the service's clients over <c>IHttpClientFactory</c>.</summary>
public static class InferenceServiceClientExtensions
{
    /// <summary>The name of the HttpClient the embedding generator uses (configure it through the returned builder).</summary>
    public const string EmbeddingsHttpClientName = "InferenceService.Embeddings";

    /// <summary>
    /// Registers <see cref="InferenceClient"/> (transient, a typed client of <c>IHttpClientFactory</c>) for the
    /// service at <paramref name="baseAddress"/>. The returned builder adds handlers (resilience, auth, a test handler).
    /// </summary>
    public static IHttpClientBuilder AddInferenceClient(this IServiceCollection services, Uri baseAddress, Action<InferenceClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(baseAddress);
        var options = new InferenceClientOptions();
        configure?.Invoke(options);
        return services.AddHttpClient(nameof(InferenceClient), http => http.BaseAddress = baseAddress)
            .AddTypedClient((http, _) => new InferenceClient(http, options));
    }

    /// <summary>
    /// Registers <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> of <c>string</c> to <c>Embedding&lt;float&gt;</c>
    /// (a singleton) over the service's sentence embeddings at <paramref name="baseAddress"/>. It takes its HttpClient
    /// from <c>IHttpClientFactory</c> on every call; the returned builder configures that client.
    /// </summary>
    public static IHttpClientBuilder AddInferenceServiceEmbeddings(this IServiceCollection services, Uri baseAddress, Action<InferenceServiceEmbeddingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(baseAddress);
        var options = new InferenceServiceEmbeddingOptions();
        configure?.Invoke(options);
        var validated = options.Validated();
        var builder = services.AddHttpClient(EmbeddingsHttpClientName, http => http.BaseAddress = baseAddress);
        services.TryAddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(provider =>
        {
            var factory = provider.GetRequiredService<IHttpClientFactory>();
            return new InferenceServiceEmbeddingGenerator(() => factory.CreateClient(EmbeddingsHttpClientName), baseAddress, validated);
        });
        return builder;
    }
}

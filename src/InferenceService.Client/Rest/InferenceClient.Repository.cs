namespace InferenceService.Client;

/// <summary>Triton's model repository extension: needs <see cref="InferenceClientOptions.AdminApiKey"/>.</summary>
public sealed partial class InferenceClient
{
    /// <summary>Every model and version with its state and reason (<c>POST /v2/repository/index</c>).</summary>
    /// <exception cref="InferenceServiceException">401 without the admin key, 403 with a wrong one, 404 when the service has no key (the API is not mapped).</exception>
    public Task<IReadOnlyList<RepositoryModel>> GetRepositoryIndexAsync(CancellationToken cancellationToken = default) =>
        PostRepositoryAsync("v2/repository/index", cancellationToken);

    /// <summary>
    /// Loads or reloads a model from its folder (<c>POST /v2/repository/models/{model}/load</c>); its index rows once
    /// every version is loaded. A failing version never replaces the serving one (400 names what failed).
    /// </summary>
    /// <exception cref="InferenceServiceException">400 load failed or control mode none, 404 no such folder, 401/403 admin key.</exception>
    public Task<IReadOnlyList<RepositoryModel>> LoadModelAsync(string model, CancellationToken cancellationToken = default) =>
        PostRepositoryAsync($"v2/repository/models/{Escape(model)}/load", cancellationToken);

    /// <summary>Stops serving a model (<c>POST .../unload</c>); requests in flight finish first. Its index rows.</summary>
    /// <exception cref="InferenceServiceException">404 unknown model, 400 control mode none, 401/403 admin key.</exception>
    public Task<IReadOnlyList<RepositoryModel>> UnloadModelAsync(string model, CancellationToken cancellationToken = default) =>
        PostRepositoryAsync($"v2/repository/models/{Escape(model)}/unload", cancellationToken);

    private static string Escape(string model)
    {
        ArgumentException.ThrowIfNullOrEmpty(model);
        return Uri.EscapeDataString(model);
    }

    private async Task<IReadOnlyList<RepositoryModel>> PostRepositoryAsync(string path, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Url(path));
        if (_options.AdminApiKey is { Length: > 0 } key)
        {
            request.Headers.Add(AdminKeyHeader, key);
        }

        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync(response, ClientJsonContext.Default.IReadOnlyListRepositoryModel, cancellationToken).ConfigureAwait(false);
    }
}

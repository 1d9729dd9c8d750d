namespace InferenceService.Client;

/// <summary>The service's base address as every route is resolved against it.</summary>
internal static class ServiceUris
{
    /// <summary>
    /// The client's base address, ending in '/': relative routes then keep a path prefix (a service behind
    /// <c>http://host/inference/</c>) instead of replacing its last segment.
    /// </summary>
    public static Uri Base(HttpClient httpClient) =>
        Normalise(httpClient.BaseAddress ?? throw new ArgumentException("The HttpClient needs a BaseAddress: the service's address, e.g. http://127.0.0.1:8000.", nameof(httpClient)));

    public static Uri Normalise(Uri address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!address.IsAbsoluteUri)
        {
            throw new ArgumentException($"The service address must be absolute, got '{address}'.", nameof(address));
        }

        return address.AbsolutePath.EndsWith('/') ? address : new Uri(address.AbsoluteUri + "/");
    }
}

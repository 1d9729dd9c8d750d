using InferenceService.Hosting;
using Microsoft.Extensions.Options;

namespace InferenceService.Apis;

/// <summary>
/// The protocol extensions this server serves in its configuration, by Triton's names: the one list server metadata
/// reports over REST (<c>GET /v2</c>) and gRPC (ServerMetadata) alike. An extension whose routes depend on settings is
/// listed only when they are mapped, so a client never finds an extension listed and its routes missing.
/// </summary>
public sealed class ServerExtensions
{
    public ServerExtensions(IOptions<AdminOptions> admin)
    {
        ArgumentNullException.ThrowIfNull(admin);
        List<string> names = ["binary_tensor_data", "model_configuration", "schedule_policy", "statistics"];
        if (RepositoryControl.IsServed(admin.Value))
        {
            names.Add("model_repository");
        }

        if (LoggingApi.IsServed(admin.Value))
        {
            names.Add(LoggingApi.ExtensionName);
        }

        Names = names.Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Sorted, so the answer does not depend on the order features were added in.</summary>
    public IReadOnlyList<string> Names { get; }
}

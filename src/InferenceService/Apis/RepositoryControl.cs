using System.Security.Cryptography;
using System.Text;
using InferenceService.Hosting;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Repository;

namespace InferenceService.Apis;

/// <summary>
/// Triton's model repository extension as REST and gRPC both serve it: when it is served, who may call it, and what
/// load and unload do. Refusals are <see cref="InferenceException"/>s (400, 404) each API maps to its own shape.
/// </summary>
internal static class RepositoryControl
{
    /// <summary>Served only when an admin key is configured; otherwise neither the routes nor the RPCs exist.</summary>
    public static bool IsServed(AdminOptions admin) => !string.IsNullOrEmpty(admin.ApiKey);

    /// <summary>Whether <paramref name="given"/> (a header or metadata value) is the configured key. Constant time; the key is never logged or echoed.</summary>
    public static AdminKeyCheck CheckKey(string? given, AdminOptions admin)
    {
        if (string.IsNullOrEmpty(given))
        {
            return AdminKeyCheck.Missing;
        }

        var ok = CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(given)),
            SHA256.HashData(Encoding.UTF8.GetBytes(admin.ApiKey ?? string.Empty)));
        return ok ? AdminKeyCheck.Allowed : AdminKeyCheck.Wrong;
    }

    /// <summary>Loads or reloads a model folder; its index rows when every version loaded, else a 400 naming what failed and what still serves.</summary>
    public static async Task<IReadOnlyList<ModelIndexEntry>> LoadAsync(ModelManager manager, ModelControlMode mode, string name, CancellationToken cancellationToken)
    {
        RequireControl(mode);
        if (name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal) || name.StartsWith('.') || !Directory.Exists(Path.Combine(manager.RepositoryPath, name)))
        {
            throw new InferenceException(InferenceErrorKind.NotFound, $"No folder '{name}' in the model repository.");
        }

        ModelEntry entry;
        try
        {
            entry = await manager.LoadModelAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (ModelConfigException e)
        {
            throw InferenceException.BadRequest(e.Message);
        }

        if (entry.Failed.Count > 0)
        {
            throw InferenceException.BadRequest($"Model '{name}' failed to load: {string.Join("; ", entry.Failed.Select(f => $"version {f.Version}: {f.Reason}"))}. Still serving: [{string.Join(", ", entry.Versions.Select(v => v.Version))}].");
        }

        return Rows(manager, name);
    }

    /// <summary>Stops serving a model (in-flight requests finish first); its index rows, or 404 for an unknown model.</summary>
    public static async Task<IReadOnlyList<ModelIndexEntry>> UnloadAsync(ModelManager manager, ModelControlMode mode, string name, CancellationToken cancellationToken)
    {
        RequireControl(mode);
        return await manager.UnloadModelAsync(name, "unloaded through the repository API", cancellationToken).ConfigureAwait(false)
            ? Rows(manager, name)
            : throw new InferenceException(InferenceErrorKind.NotFound, $"Unknown model '{name}'.");
    }

    private static void RequireControl(ModelControlMode mode)
    {
        if (mode == ModelControlMode.None)
        {
            throw InferenceException.BadRequest("Model control is disabled (ModelRepository:ControlMode is none); use explicit or poll.");
        }
    }

    private static List<ModelIndexEntry> Rows(ModelManager manager, string name) => manager.Index().Where(r => r.Name == name).ToList();
}

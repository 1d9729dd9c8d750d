namespace InferenceService.Runtime.Repository.Provisioning;

/// <summary>
/// <c>models/&lt;name&gt;/provision.json</c>: where a pretrained model's files come from (a NuGet package in the
/// local packages folder) and the sha256 each must have.
/// </summary>
public sealed record ProvisionManifest
{
    public long Version { get; init; } = 1;

    public required string PackageId { get; init; }

    public required string PackageVersion { get; init; }

    public required IReadOnlyList<ProvisionFile> Files { get; init; }
}

namespace InferenceService.Runtime.Repository.Provisioning;

/// <summary>One file to provision into the version folder.</summary>
public sealed record ProvisionFile
{
    /// <summary>File name in the version folder.</summary>
    public required string Target { get; init; }

    /// <summary>Path of the source file inside the package folder.</summary>
    public required string Source { get; init; }

    public required string SourceSha256 { get; init; }

    /// <summary>A manifest resource to extract from the source assembly (read as metadata, never loaded).</summary>
    public string? Resource { get; init; }

    /// <summary>Optional rewrite: <c>symbolic-batch</c> makes dim 0 of every graph input and output symbolic.</summary>
    public string? Transform { get; init; }

    /// <summary>sha256 of the provisioned file.</summary>
    public required string Sha256 { get; init; }
}

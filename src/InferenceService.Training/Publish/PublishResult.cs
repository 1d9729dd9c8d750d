using InferenceService.Training.Export;

namespace InferenceService.Training.Publish;

/// <summary>Where a run was published and the parity figures it passed with.</summary>
internal sealed record PublishResult(string VersionFolder, int Version, ParityReport Parity);

namespace InferenceService.Runtime.Repository;

/// <summary>Why a model version could not be leased.</summary>
public enum ModelLookup
{
    Found,
    NotFound,
    Unavailable,
}

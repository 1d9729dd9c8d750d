namespace InferenceService.Runtime.Repository;

/// <summary>Triton's model states.</summary>
public enum ModelState
{
    Loading,
    Ready,
    Unavailable,
}

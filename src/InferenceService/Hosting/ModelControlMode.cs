namespace InferenceService.Hosting;

/// <summary>
/// Triton's model control modes, <c>ModelRepository:ControlMode</c>. Configuration binding ignores case, so the settings
/// keep Triton's spelling: none, explicit, poll.
/// </summary>
public enum ModelControlMode
{
    /// <summary>Load everything at start, never change.</summary>
    None,

    /// <summary>Also the repository API's load/unload.</summary>
    Explicit,

    /// <summary>Also pick up new, changed and removed model folders every poll interval.</summary>
    Poll,
}

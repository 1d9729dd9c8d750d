namespace InferenceService.Runtime.Inference;

/// <summary>A runner that can tell, before a request's body is read, that it would refuse the request anyway.</summary>
public interface IAdmissionCheck
{
    /// <summary>The refusal (503 with Retry-After) a request with <paramref name="timeout"/> would get now, or null.</summary>
    /// <param name="admitted">Requests admitted to the version before this one and still held: those not queued yet are
    /// still reading or decoding their bodies, and will queue ahead of it.</param>
    InferenceException? CheckAdmission(TimeSpan? timeout, int admitted);
}

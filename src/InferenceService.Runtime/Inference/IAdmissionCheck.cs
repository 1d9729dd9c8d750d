namespace InferenceService.Runtime.Inference;

/// <summary>A runner that can tell, before a request's body is read, that it would refuse the request anyway.</summary>
public interface IAdmissionCheck
{
    /// <summary>The refusal (503 with Retry-After) a request with <paramref name="timeout"/> would get now, or null.</summary>
    InferenceException? CheckAdmission(TimeSpan? timeout);
}

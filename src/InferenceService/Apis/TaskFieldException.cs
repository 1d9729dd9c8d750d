namespace InferenceService.Apis;

/// <summary>A task request's field breaks its rule or limit: a 400 validation problem naming the field.</summary>
internal sealed class TaskFieldException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}

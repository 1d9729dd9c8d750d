namespace InferenceService.Apis;

/// <summary>An input of the OpenAI or TEI routes is refused; <see cref="Field"/> names the request field.</summary>
internal sealed class CompatInputException(CompatInputError error, string field, string message) : Exception(message)
{
    public CompatInputError Error { get; } = error;

    public string Field { get; } = field;
}

namespace InferenceService.Runtime.Repository;

/// <summary>A repository file is invalid. The message names the file, the field and the expected value.</summary>
public sealed class ModelConfigException : Exception
{
    public ModelConfigException(string file, string field, string expected, string actual)
        : base($"{file}: {field}: expected {expected}, got {actual}")
    {
        File = file;
        Field = field;
    }

    public ModelConfigException()
    {
    }

    public ModelConfigException(string message)
        : base(message)
    {
    }

    public ModelConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public string? File { get; }

    public string? Field { get; }
}

namespace InferenceService.Apis;

/// <summary>Why an input of the OpenAI or TEI routes was refused; each API maps it to its own status and error type.</summary>
internal enum CompatInputError
{
    /// <summary>No inputs, an empty text or an empty list of ids.</summary>
    Empty,

    /// <summary>Not a text or ids, or ids outside the vocabulary.</summary>
    Invalid,

    /// <summary>Over a limit: too many inputs, characters, or tokens where truncation was not asked for.</summary>
    TooLong,
}

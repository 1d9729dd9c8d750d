namespace InferenceService.Apis;

/// <summary>One input of the OpenAI and TEI routes: a text to tokenise, or token ids taken as given.</summary>
internal readonly record struct CompatInput(string? Text, int[]? Ids);

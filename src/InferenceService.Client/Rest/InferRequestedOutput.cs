namespace InferenceService.Client;

/// <summary>An output to return; <paramref name="Binary"/> asks for it as binary data (<c>binary_data</c>).</summary>
/// <param name="Name">The output's name.</param>
/// <param name="Binary">Whether the server sends its elements as raw bytes after the JSON header.</param>
public sealed record InferRequestedOutput(string Name, bool Binary = false);

using System.Text.RegularExpressions;

namespace InferenceService.Runtime.Sessions;

/// <summary>
/// Reads ONNX Runtime's message for an execution provider library that would not load (the CUDA provider on a
/// machine without CUDA), which names the provider's library and the dependency that was missing, in one short reason.
/// </summary>
internal static partial class ProviderLibraryError
{
    public static bool TryParse(string message, out string provider, out string reason)
    {
        var match = FailedToLoad().Match(message);
        if (!match.Success)
        {
            provider = reason = string.Empty;
            return false;
        }

        provider = match.Groups["provider"].Value;
        var error = match.Groups["error"].Value.Trim();
        var missing = MissingFile().Match(error);
        reason = missing.Success ? missing.Groups["file"].Value + " not found" : error;
        return true;
    }

    [GeneratedRegex(@"Failed to load library \S*onnxruntime_providers_(?<provider>[a-z0-9]+)\.\S+ with error: (?<error>.+)", RegexOptions.Singleline)]
    private static partial Regex FailedToLoad();

    [GeneratedRegex(@"^(?<file>\S+): cannot open shared object file")]
    private static partial Regex MissingFile();
}

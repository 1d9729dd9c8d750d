using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace InferenceService.Runtime.Sessions;

/// <summary>
/// Appends the configured execution providers to session options, in order, CPU always last. A provider that
/// cannot load (no CUDA 13 on this machine) is logged once with its reason and not tried again in this process.
/// Taking the <see cref="OnnxRuntimeEnvironment"/> makes sure it exists before the first session options do.
/// </summary>
public sealed partial class ExecutionProviderCatalog(OnnxRuntimeEnvironment environment, ILogger<ExecutionProviderCatalog> logger)
{
    public const string Cpu = "cpu";
    public const string Cuda = "cuda";

    private readonly ConcurrentDictionary<string, string> _failures = new(StringComparer.Ordinal);

    /// <summary>Why a provider could not be used, for those that failed.</summary>
    public IReadOnlyDictionary<string, string> Failures => _failures;

    /// <summary>Appends the first provider that loads and returns its name ("cpu" when none does).</summary>
    public string Configure(SessionOptions options, IReadOnlyList<string> preference, string modelName)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var provider in preference)
        {
            if (provider == Cpu)
            {
                return Cpu;
            }

            if (_failures.ContainsKey(provider))
            {
                continue;
            }

            try
            {
                Append(options, provider);
                return provider;
            }
            catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
            {
                // ONNX Runtime's exception says only that the library failed to load; its log said which file was missing.
                // The CPU-only package (OnnxRuntimeFlavor=cpu) lacks the CUDA entry point altogether: say so plainly.
                var reason = e is EntryPointNotFoundException
                    ? "this build's ONNX Runtime has no CUDA provider (OnnxRuntimeFlavor=cpu)"
                    : environment.ProviderLoadFailure(provider) ?? e.Message;
                if (_failures.TryAdd(provider, reason))
                {
                    LogProviderUnavailable(provider, reason, modelName);
                }
            }
        }

        return Cpu;
    }

    /// <summary>
    /// Why the providers listed ahead of <paramref name="chosen"/> are not used ("cuda unavailable: libcublasLt.so.13
    /// not found"), or null when <paramref name="chosen"/> is the first one listed.
    /// </summary>
    public string? WhyNotPreferred(IReadOnlyList<string> preference, string chosen)
    {
        ArgumentNullException.ThrowIfNull(preference);
        var skipped = preference.TakeWhile(p => p != chosen)
            .Select(p => _failures.TryGetValue(p, out var reason) ? $"{p} unavailable: {reason}" : $"{p} not used")
            .ToList();
        return skipped.Count == 0 ? null : string.Join("; ", skipped);
    }

    private static void Append(SessionOptions options, string provider)
    {
        switch (provider)
        {
            case Cuda:
                options.AppendExecutionProvider_CUDA(0);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(provider), provider, "unknown execution provider");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Execution provider {Provider} is unavailable ({Reason}): models that list it run on the next provider listed (first tried for model {Model})")]
    private partial void LogProviderUnavailable(string provider, string reason, string model);
}

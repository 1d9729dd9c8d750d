using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace InferenceService.Runtime.Sessions;

/// <summary>
/// ONNX Runtime's environment, created with a logging function before the first session, so that ONNX Runtime's own
/// log goes through an <see cref="ILogger"/> (category <see cref="LogCategory"/>, its level set by the usual
/// <c>Logging:LogLevel</c> settings) instead of coloured text on stderr. A provider library that fails to load is
/// expected when a machine lacks that hardware: it is logged at Debug and kept here as the reason the
/// <see cref="ExecutionProviderCatalog"/> reports.
/// </summary>
public sealed partial class OnnxRuntimeEnvironment : IDisposable
{
    public const string LogCategory = "OnnxRuntime";

    // ONNX Runtime keeps one environment per process and fixes its logging function when that is created; every
    // later session logs through it. So the environment that receives the log is process-wide state, the one this
    // codebase allows (STYLE 17): the most recently created instance receives it until it is disposed. Writes hold
    // Gate; the logging function reads _current without it, from any native thread.
    private static readonly Lock Gate = new();
    private static volatile OnnxRuntimeEnvironment? _current;
    private static bool _forwarding;

    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, string> _providerFailures = new(StringComparer.Ordinal);

    public OnnxRuntimeEnvironment(ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _logger = loggerFactory.CreateLogger(LogCategory);
        var level = OrtLevel(_logger);
        lock (Gate)
        {
            if (OrtEnv.IsCreated)
            {
                OrtEnv.Instance().EnvLogLevel = level;
            }
            else
            {
                var options = new EnvironmentCreationOptions
                {
                    logId = "InferenceService",
                    logLevel = level,
                    loggingFunction = Forward,
                };
                OrtEnv.CreateInstanceWithOptions(ref options);
                _forwarding = true;
            }

            ForwardsLog = _forwarding;
            _current = this;
        }

        if (!ForwardsLog)
        {
            LogEnvironmentPreexisting();
        }
    }

    /// <summary>
    /// False when something in this process used ONNX Runtime before any instance of this type existed: its
    /// environment then logs to stderr, as ONNX Runtime does by default, and no failure reasons are captured.
    /// </summary>
    public bool ForwardsLog { get; }

    /// <summary>Why an execution provider's library could not be loaded (e.g. "libcublasLt.so.13 not found"), if it failed.</summary>
    public string? ProviderLoadFailure(string provider) => _providerFailures.GetValueOrDefault(provider);

    public void Dispose()
    {
        lock (Gate)
        {
            if (_current == this)
            {
                _current = null;
            }
        }
    }

    // ONNX Runtime's VERBOSE and INFO describe its internals step by step: Trace and Debug here. It is asked for no
    // less than errors, because a provider's load failure (an error) is the reason the catalog reports.
    private static OrtLoggingLevel OrtLevel(ILogger logger) =>
        logger.IsEnabled(LogLevel.Trace) ? OrtLoggingLevel.ORT_LOGGING_LEVEL_VERBOSE
        : logger.IsEnabled(LogLevel.Debug) ? OrtLoggingLevel.ORT_LOGGING_LEVEL_INFO
        : logger.IsEnabled(LogLevel.Warning) ? OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING
        : OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR;

    private static LogLevel Level(OrtLoggingLevel severity) => severity switch
    {
        OrtLoggingLevel.ORT_LOGGING_LEVEL_VERBOSE => LogLevel.Trace,
        OrtLoggingLevel.ORT_LOGGING_LEVEL_INFO => LogLevel.Debug,
        OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING => LogLevel.Warning,
        OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR => LogLevel.Error,
        _ => LogLevel.Critical,
    };

    private static void Forward(IntPtr param, OrtLoggingLevel severity, string category, string logId, string codeLocation, string message)
    {
        // Called from native code: an exception escaping here would end the process. The logger throws when the host's
        // logging shut down before its sessions were released (ObjectDisposedException), or when a provider failed
        // (AggregateException); either way there is nowhere left to report it.
        try
        {
            _current?.Receive(severity, logId, codeLocation, message);
        }
        catch (Exception e) when (e is ObjectDisposedException or AggregateException)
        {
        }
    }

    private void Receive(OrtLoggingLevel severity, string logId, string codeLocation, string message)
    {
        var level = Level(severity);
        if (ProviderLibraryError.TryParse(message, out var provider, out var reason))
        {
            _providerFailures.TryAdd(provider, reason);
            level = LogLevel.Debug;
        }

        // ONNX Runtime ends some messages with a newline of its own.
        LogNative(level, logId, codeLocation, message.TrimEnd());
    }

    [LoggerMessage(Message = "{LogId} ({CodeLocation}): {Message}")]
    private partial void LogNative(LogLevel level, string logId, string codeLocation, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ONNX Runtime's environment was created before its logging could be set up: its own messages go to stderr")]
    private partial void LogEnvironmentPreexisting();
}

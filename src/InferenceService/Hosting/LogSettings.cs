namespace InferenceService.Hosting;

/// <summary>Triton's log settings (the logging extension), as they map onto Microsoft.Extensions.Logging levels.</summary>
/// <param name="Info">Information messages on.</param>
/// <param name="Warning">Warning messages on.</param>
/// <param name="Error">Error and Critical messages on.</param>
/// <param name="VerboseLevel">0: nothing below Information; 1: Debug from every category; 2 or more: Trace.</param>
/// <param name="Format"><see cref="DefaultFormat"/> or <see cref="Iso8601Format"/> (an ISO 8601 UTC timestamp on each console line).</param>
internal sealed record LogSettings(bool Info, bool Warning, bool Error, uint VerboseLevel, string Format)
{
    public const string DefaultFormat = "default";
    public const string Iso8601Format = "ISO8601";

    /// <summary>What a configured default level amounts to in Triton's terms.</summary>
    public static LogSettings FromDefaultLevel(LogLevel level) => new(
        level <= LogLevel.Information,
        level <= LogLevel.Warning,
        level <= LogLevel.Error,
        level switch { LogLevel.Trace => 2, LogLevel.Debug => 1, _ => 0 },
        DefaultFormat);

    /// <summary>A configured rule's level under these settings: verbosity lowers it (never re-enabling None) or holds it at Information.</summary>
    public LogLevel Adjust(LogLevel level) => VerboseLevel switch
    {
        _ when level == LogLevel.None => level,
        0 => level < LogLevel.Information ? LogLevel.Information : level,
        1 => level > LogLevel.Debug ? LogLevel.Debug : level,
        _ => LogLevel.Trace,
    };

    /// <summary>The per-level switches: Information, Warning and Error (with Critical) can each be turned off.</summary>
    public bool Allows(LogLevel level) => level switch
    {
        LogLevel.Information => Info,
        LogLevel.Warning => Warning,
        LogLevel.Error or LogLevel.Critical => Error,
        _ => true,
    };
}

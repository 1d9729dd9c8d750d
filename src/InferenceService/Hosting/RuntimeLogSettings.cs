using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace InferenceService.Hosting;

/// <summary>
/// The log settings changed at run time (POST /v2/logging). Until the first change the configuration rules alone
/// apply; after it, every rule of <see cref="LoggerFilterOptions"/> is adjusted and gated by <see cref="LogSettings"/>,
/// and the change token makes the logger factory rebuild its filters at once, as a reloaded appsettings.json would.
/// The console's timestamp follows log_format the same way.
/// </summary>
internal sealed class RuntimeLogSettings(IConfiguration configuration)
    : IPostConfigureOptions<LoggerFilterOptions>, IOptionsChangeTokenSource<LoggerFilterOptions>,
      IPostConfigureOptions<SimpleConsoleFormatterOptions>, IOptionsChangeTokenSource<SimpleConsoleFormatterOptions>
{
    private const string Iso8601Timestamp = "yyyy-MM-ddTHH:mm:ssZ ";

    private readonly Lock _lock = new();
    private volatile LogSettings? _changed;
    private CancellationTokenSource _changeSource = new();

    /// <summary>The settings in force: the last change, or what Logging:LogLevel:Default amounts to.</summary>
    public LogSettings Current => _changed ?? LogSettings.FromDefaultLevel(configuration.GetValue<LogLevel?>("Logging:LogLevel:Default") ?? LogLevel.Information);

    /// <summary>Both option types reload under their default name.</summary>
    public string? Name => Options.DefaultName;

    public static void AddTo(IServiceCollection services)
    {
        services.AddSingleton<RuntimeLogSettings>();
        services.AddSingleton<IPostConfigureOptions<LoggerFilterOptions>>(sp => sp.GetRequiredService<RuntimeLogSettings>());
        services.AddSingleton<IOptionsChangeTokenSource<LoggerFilterOptions>>(sp => sp.GetRequiredService<RuntimeLogSettings>());
        services.AddSingleton<IPostConfigureOptions<SimpleConsoleFormatterOptions>>(sp => sp.GetRequiredService<RuntimeLogSettings>());
        services.AddSingleton<IOptionsChangeTokenSource<SimpleConsoleFormatterOptions>>(sp => sp.GetRequiredService<RuntimeLogSettings>());
    }

    /// <summary>Puts <paramref name="settings"/> in force; returns once the loggers' filters are rebuilt.</summary>
    public void Change(LogSettings settings)
    {
        CancellationTokenSource fired;
        lock (_lock)
        {
            _changed = settings;
            fired = _changeSource;
            _changeSource = new CancellationTokenSource();
        }

        // The options monitors recompute (running PostConfigure below) inside Cancel; the fired source is not reused.
        fired.Cancel();
    }

    public IChangeToken GetChangeToken()
    {
        lock (_lock)
        {
            return new CancellationChangeToken(_changeSource.Token);
        }
    }

    public void PostConfigure(string? name, LoggerFilterOptions options)
    {
        if (_changed is not { } settings)
        {
            return;
        }

        // Each logger follows its most specific rule only, so every rule carries the gate; a catch-all one is added
        // for loggers no rule matches (they would follow MinLevel, ungated).
        var rules = options.Rules.Select(r => Gated(settings, r.ProviderName, r.CategoryName, r.LogLevel is { } level ? settings.Adjust(level) : null, r.Filter)).ToList();
        if (!options.Rules.Any(r => r.ProviderName is null && r.CategoryName is null))
        {
            rules.Add(Gated(settings, null, null, null, null));
        }

        options.MinLevel = settings.Adjust(options.MinLevel);
        options.Rules.Clear();
        foreach (var rule in rules)
        {
            options.Rules.Add(rule);
        }
    }

    public void PostConfigure(string? name, SimpleConsoleFormatterOptions options)
    {
        if (_changed?.Format == LogSettings.Iso8601Format)
        {
            options.TimestampFormat = Iso8601Timestamp;
            options.UseUtcTimestamp = true;
        }
    }

    private static LoggerFilterRule Gated(LogSettings settings, string? provider, string? category, LogLevel? level, Func<string?, string?, LogLevel, bool>? filter) =>
        new(provider, category, level, (p, c, l) => settings.Allows(l) && (filter?.Invoke(p, c, l) ?? true));
}

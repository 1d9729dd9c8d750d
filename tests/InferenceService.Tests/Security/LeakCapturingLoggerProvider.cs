using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace InferenceService.Tests.Security;

/// <summary>
/// Records everything a log line could carry to any sink: the message, every structured value, the exception and
/// every scope around it (request path, trace ids, activity tags), as text to search for secrets.
/// </summary>
internal sealed class LeakCapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<(LogLevel Level, string Text)> _lines = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<(LogLevel Level, string Text)> Lines => [.. _lines];

    public string Text => string.Join('\n', _lines.Select(l => l.Text));

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(string category, LeakCapturingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = new StringBuilder().Append(category).Append(' ').Append(logLevel).Append(": ").Append(formatter(state, exception));
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var (key, value) in values)
                {
                    text.Append(" | ").Append(key).Append('=').Append(Flatten(value));
                }
            }

            text.Append(" | ").Append(exception);
            owner._scopes.ForEachScope((scope, builder) => builder.Append(" | scope: ").Append(Flatten(scope)), text);
            owner._lines.Enqueue((logLevel, text.ToString()));
        }

        private static string Flatten(object? value) => value switch
        {
            null => string.Empty,
            string s => s,
            IEnumerable<KeyValuePair<string, object?>> pairs => string.Join(", ", pairs.Select(p => $"{p.Key}={Flatten(p.Value)}")),
            System.Collections.IEnumerable items => string.Join(", ", items.Cast<object?>().Select(Flatten)),
            _ => value.ToString() ?? string.Empty,
        };
    }
}

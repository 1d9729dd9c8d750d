using InferenceService.Runtime.Repository;
using Microsoft.Extensions.Options;

namespace InferenceService.Hosting;

/// <summary>
/// Validates every model config before the server starts (a bad config stops start-up with the file, field and
/// expected value), loads and warms the models in the background so liveness answers at once, polls the repository
/// in poll mode, and drains at shutdown: readiness false and new requests refused first, in-flight ones finish.
/// Because "Application started" comes before the models are ready, the log says so, and says when they are.
/// </summary>
internal sealed partial class ModelLoaderService(ModelManager manager, ModelRegistry registry, IOptions<ModelRepositoryOptions> options, TimeProvider timeProvider, ILogger<ModelLoaderService> logger) : BackgroundService
{
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        manager.Discover();
        LogLoading(registry.Models.Count);
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Hosted services stop in reverse order of registration, so the web server (registered first) still serves
        // while this drains: probes see "not ready", new inference gets 503, accepted requests complete.
        await manager.DrainAsync(TimeSpan.FromSeconds(options.Value.DrainTimeoutSeconds), cancellationToken).ConfigureAwait(false);
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = timeProvider.GetTimestamp();
        await manager.LoadAllAsync(stoppingToken).ConfigureAwait(false);
        LogStartupOutcome(timeProvider.GetElapsedTime(started));
        if (options.Value.ControlMode != ModelControlMode.Poll)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.PollIntervalSeconds), timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await manager.PollOnceAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or ModelConfigException)
                {
                    LogPollFailed(e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private void LogStartupOutcome(TimeSpan elapsed)
    {
        var models = registry.Models.Values.Where(m => !m.IsUnloaded).ToList();
        var notReady = models.Where(m => m.Versions.Count == 0 || m.Versions.Any(v => v.State != ModelState.Ready)).Select(m => m.Name).Order(StringComparer.Ordinal).ToList();
        if (notReady.Count == 0)
        {
            LogAllReady(models.Count, elapsed.TotalSeconds);
        }
        else
        {
            LogSomeNotReady(models.Count - notReady.Count, models.Count, elapsed.TotalSeconds, string.Join(", ", notReady));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loading {Count} model(s) in the background: /health/live answers now, /health/ready turns 200 when they are ready")]
    private partial void LogLoading(int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "All {Count} model(s) ready in {Seconds:F1} s")]
    private partial void LogAllReady(int count, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Ready} of {Count} model(s) ready in {Seconds:F1} s; not ready: {NotReady} (the reasons are logged above and in /health/ready)")]
    private partial void LogSomeNotReady(int ready, int count, double seconds, string notReady);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Repository poll failed: {Reason}")]
    private partial void LogPollFailed(string reason);
}

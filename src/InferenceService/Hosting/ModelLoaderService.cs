using InferenceService.Runtime.Repository;
using Microsoft.Extensions.Options;

namespace InferenceService.Hosting;

/// <summary>
/// Reads every model config before the server starts (a bad one leaves that model UNAVAILABLE with the file, field
/// and expected value; the others load), loads and warms the models in the background so liveness answers at once, polls the repository
/// in poll mode, and shuts down as Triton does: readiness false and new inference refused at once, listeners open for
/// the shutdown delay, then a bounded wait for the requests in flight.
/// Because "Application started" comes before the models are ready, the log says so, and says when they are.
/// </summary>
/// <remarks>
/// The shutdown runs in <see cref="StoppingAsync"/>: the host calls it on every lifecycle service before any
/// <c>StopAsync</c>, and the web server (registered after this service, so stopped before it) stops accepting and
/// waits for its own requests in its <c>StopAsync</c>. Draining there would find the listeners closed and nothing
/// left in flight.
/// </remarks>
internal sealed partial class ModelLoaderService(ModelManager manager, ModelRegistry registry, IOptions<ModelRepositoryOptions> options, TimeProvider timeProvider, ILogger<ModelLoaderService> logger)
    : BackgroundService, IHostedLifecycleService
{
    /// <summary>What the host's shutdown must allow beyond the delay and the drain: the web server's stop and disposal.</summary>
    public static readonly TimeSpan ShutdownMargin = TimeSpan.FromSeconds(5);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        manager.Discover();
        LogLoading(registry.Models.Count);
        return base.StartAsync(cancellationToken);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromSeconds(options.Value.ShutdownDelaySeconds);
        manager.BeginDrain();
        LogShutdownDelay(delay.TotalSeconds);
        try
        {
            await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host's shutdown timeout ran out first; the drain below then reports what is left without waiting.
        }

        await manager.DrainAsync(TimeSpan.FromSeconds(options.Value.DrainTimeoutSeconds), cancellationToken).ConfigureAwait(false);
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

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

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutdown delay: listeners stay open for {Seconds} s before the drain")]
    private partial void LogShutdownDelay(double seconds);

    private void LogStartupOutcome(TimeSpan elapsed)
    {
        var loaded = registry.LoadedCount;
        var notReady = registry.NotReadyModels;
        if (notReady.Count == 0)
        {
            LogAllReady(loaded, elapsed.TotalSeconds);
        }
        else
        {
            LogSomeNotReady(loaded - notReady.Count, loaded, elapsed.TotalSeconds, string.Join(", ", notReady));
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

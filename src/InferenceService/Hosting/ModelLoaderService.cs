using InferenceService.Runtime.Repository;
using Microsoft.Extensions.Options;

namespace InferenceService.Hosting;

/// <summary>
/// Validates every model config before the server starts (a bad config stops start-up with the file, field and
/// expected value), loads and warms the models in the background so liveness answers at once, polls the repository
/// in poll mode, and drains at shutdown: readiness false and new requests refused first, in-flight ones finish.
/// </summary>
internal sealed partial class ModelLoaderService(ModelManager manager, IOptions<ModelRepositoryOptions> options, TimeProvider timeProvider, ILogger<ModelLoaderService> logger) : BackgroundService
{
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        manager.Discover();
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
        await manager.LoadAllAsync(stoppingToken).ConfigureAwait(false);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Repository poll failed: {Reason}")]
    private partial void LogPollFailed(string reason);
}

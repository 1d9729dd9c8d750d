using InferenceService.Runtime.Repository;

namespace InferenceService.Hosting;

/// <summary>
/// Validates every model config before the server starts (a bad config stops start-up with the file, field and
/// expected value), then loads and warms the models in the background so liveness answers at once.
/// </summary>
internal sealed class ModelLoaderService(ModelManager manager) : BackgroundService
{
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        manager.Discover();
        return base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => manager.LoadAllAsync(stoppingToken);
}

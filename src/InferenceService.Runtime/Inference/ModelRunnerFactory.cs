using InferenceService.Runtime.Batching;
using InferenceService.Runtime.Caching;
using InferenceService.Runtime.Repository;
using InferenceService.Runtime.Resilience;
using InferenceService.Runtime.Telemetry;
using Microsoft.Extensions.Logging;

namespace InferenceService.Runtime.Inference;

/// <summary>Chooses how a model version's requests reach its instances.</summary>
public static class ModelRunnerFactory
{
    /// <summary>
    /// Models with max_batch_size &gt; 0 and a dynamic_batching section get the dynamic batcher; the others run each request alone.
    /// Every runner returned also implements <see cref="IModelStatistics"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The dynamic_batching section fails <see cref="DynamicBatchingConfigValidator"/>.</exception>
    public static IModelRunner Create(string modelName, ModelConfig config, IBatchExecutor executor, TimeProvider timeProvider, ILoggerFactory loggerFactory) =>
        CreateCore(modelName, config, executor, timeProvider, loggerFactory, metrics: null);

    /// <summary>
    /// The served runner of a model version: <see cref="ObservedRunner"/> (request metrics) → response cache (when the
    /// model opts in and the service has one) → <see cref="ResilientRunner"/> (breaker, timeout) → batcher or direct runner.
    /// A cache hit thus answers even while the breaker is open, and a breaker rejection is counted as "rejected".
    /// </summary>
    public static IModelRunner Create(ModelMetrics model, ModelConfig config, IBatchExecutor executor, ModelRunnerServices services, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(services);
        var runner = CreateCore(model.Model, config, executor, timeProvider, loggerFactory, model);
        if (services.Policy.CircuitBreakerEnabled || services.Policy.ExecutionTimeout is not null)
        {
            runner = new ResilientRunner(runner, model.Model, services.Policy, timeProvider, loggerFactory.CreateLogger<ResilientRunner>());
        }

        if (config.ResponseCache is { Enable: true } cache && services.Cache is { } shared)
        {
            runner = new CachingRunner(runner, shared, model, cache.MaxEntryBytes);
        }

        return new ObservedRunner(runner, model, timeProvider);
    }

    private static IModelRunner CreateCore(string modelName, ModelConfig config, IBatchExecutor executor, TimeProvider timeProvider, ILoggerFactory loggerFactory, ModelMetrics? metrics)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        if (config.MaxBatchSize > 0 && config.DynamicBatching is not null)
        {
            var errors = DynamicBatchingConfigValidator.Validate(config);
            if (errors.Count > 0)
            {
                throw new ArgumentException($"model '{modelName}': {string.Join(" ", errors)}", nameof(config));
            }

            return new DynamicBatcher(new BatchingModel(modelName, config, timeProvider), executor, timeProvider, loggerFactory.CreateLogger<DynamicBatcher>(), metrics);
        }

        return new DirectRunner(executor, config.Outputs.Select(o => o.Name).ToList(), config.MaxBatchSize > 0, timeProvider, metrics);
    }
}

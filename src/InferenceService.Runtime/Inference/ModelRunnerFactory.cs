using InferenceService.Runtime.Batching;
using InferenceService.Runtime.Repository;
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
    public static IModelRunner Create(string modelName, ModelConfig config, IBatchExecutor executor, TimeProvider timeProvider, ILoggerFactory loggerFactory)
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

            return new DynamicBatcher(new BatchingModel(modelName, config, timeProvider), executor, timeProvider, loggerFactory.CreateLogger<DynamicBatcher>());
        }

        return new DirectRunner(executor, config.Outputs.Select(o => o.Name).ToList(), config.MaxBatchSize > 0, timeProvider);
    }
}

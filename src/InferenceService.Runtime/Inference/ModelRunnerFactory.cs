using InferenceService.Runtime.Repository;
using Microsoft.Extensions.Logging;

namespace InferenceService.Runtime.Inference;

/// <summary>Chooses how a model version's requests reach its instances.</summary>
public static class ModelRunnerFactory
{
    public static IModelRunner Create(string modelName, ModelConfig config, IBatchExecutor executor, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(config);
        _ = modelName;
        _ = timeProvider;
        _ = loggerFactory;
        return new DirectRunner(executor, config.Outputs.Select(o => o.Name).ToList());
    }
}

using InferenceService.Runtime.Repository;
using Microsoft.ML.OnnxRuntime;

namespace InferenceService.Runtime.Sessions;

/// <summary>
/// Creates a model version's sessions with the configured providers, optimisation level and threads; every pool it
/// creates shares <paramref name="budget"/> (null: runs are not limited across models).
/// </summary>
public sealed class SessionPoolFactory(ExecutionProviderCatalog providers, ExecutionBudget? budget = null)
{
    public SessionPool Create(string modelName, string modelPath, ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var threads = config.IntraOpThreads > 0 ? config.IntraOpThreads : Math.Max(1, Environment.ProcessorCount / config.InstanceCount);
        var sessions = new InferenceSession[config.InstanceCount];
        var provider = ExecutionProviderCatalog.Cpu;
        try
        {
            for (var i = 0; i < sessions.Length; i++)
            {
                using var options = new SessionOptions
                {
                    GraphOptimizationLevel = ParseLevel(config.GraphOptimizationLevel),
                    IntraOpNumThreads = threads,
                    InterOpNumThreads = 1,
                    ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
                    LogId = $"{modelName}#{i}",
                };
                options.AddSessionConfigEntry("session.intra_op.allow_spinning", config.IntraOpSpinning ? "1" : "0");
                provider = providers.Configure(options, config.ExecutionProviders, modelName);
                sessions[i] = new InferenceSession(modelPath, options);
            }
        }
        catch
        {
            foreach (var session in sessions)
            {
                session?.Dispose();
            }

            throw;
        }

        return new SessionPool(sessions, provider, threads, providers.WhyNotPreferred(config.ExecutionProviders, provider), budget);
    }

    private static GraphOptimizationLevel ParseLevel(string level) => level switch
    {
        "disabled" => GraphOptimizationLevel.ORT_DISABLE_ALL,
        "basic" => GraphOptimizationLevel.ORT_ENABLE_BASIC,
        "extended" => GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
        _ => GraphOptimizationLevel.ORT_ENABLE_ALL,
    };
}

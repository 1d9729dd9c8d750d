using InferenceService.Runtime.Repository;
using InferenceService.Runtime.Sessions;
using Microsoft.Extensions.Logging.Abstractions;

namespace InferenceService.Runtime.Tests.Sessions;

/// <summary>A scratch model folder whose version 1 holds the given graph, opened with the same factory the loader uses.</summary>
internal sealed class ModelFolder : IDisposable
{
    private readonly TempDirectory _temp = new();

    public ModelFolder(byte[] model)
    {
        Directory.CreateDirectory(VersionDir);
        File.WriteAllBytes(ModelPath, model);
    }

    public string VersionDir => Path.Combine(_temp.Path, "1");

    public string ModelPath => Path.Combine(VersionDir, ModelConfigLoader.ModelFileName);

    public string ConfigPath => Path.Combine(_temp.Path, ModelConfigLoader.ConfigFileName);

    public ExecutionProviderCatalog Providers { get; } = new(new OnnxRuntimeEnvironment(NullLoggerFactory.Instance), NullLogger<ExecutionProviderCatalog>.Instance);

    public SessionPool Open(ModelConfig config, ExecutionBudget? budget = null) => new SessionPoolFactory(Providers, budget).Create("tiny", ModelPath, config);

    public void WriteGolden(string json) => File.WriteAllText(Path.Combine(VersionDir, GoldenCheck.FileName), json);

    public void Dispose() => _temp.Dispose();
}

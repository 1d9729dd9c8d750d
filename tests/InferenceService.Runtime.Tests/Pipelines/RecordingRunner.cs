using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Pipelines;
using InferenceService.Runtime.Repository;
using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Tests.Pipelines;

/// <summary>A runner that records every request and answers with outputs computed by the test.</summary>
internal sealed class RecordingRunner(Func<InferenceRequest, IReadOnlyList<Tensor>> answer) : IModelRunner
{
    public List<InferenceRequest> Requests { get; } = [];

    /// <summary>
    /// A registry serving one ready version of a model with <paramref name="config"/> (its pipeline built as at load),
    /// whose requests go through the gateway to a new recording runner.
    /// </summary>
    /// <param name="directory">The version folder its pipeline reads side files from (a vocabulary, labels); the temp folder by default.</param>
    public static (InferenceGateway Gateway, RecordingRunner Runner) Serve(string name, ModelConfig config, Func<InferenceRequest, IReadOnlyList<Tensor>> answer, string? directory = null)
    {
        var runner = new RecordingRunner(answer);
        return (ServeWith(name, config, runner, directory), runner);
    }

    /// <summary>As <see cref="Serve"/>, with requests going to <paramref name="runner"/> (e.g. a batcher over a fake or real executor).</summary>
    public static InferenceGateway ServeWith(string name, ModelConfig config, IModelRunner runner, string? directory = null)
    {
        var model = new ModelVersion(name, 1, config, directory ?? Path.GetTempPath());
        model.MarkReady(null!, runner, new VersionServices(TaskPipelines.Build(model, _ => null), Metrics: null, InputRanges: null));
        var registry = new ModelRegistry();
        registry.Publish(new ModelEntry(name, Path.GetTempPath(), config, [model], [], fingerprint: null));
        return new InferenceGateway(registry);
    }

    public Task<IReadOnlyList<Tensor>> InferAsync(InferenceRequest request, CancellationToken cancellationToken)
    {
        Requests.Add(request);
        return Task.FromResult(answer(request));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Tests.Resilience;

/// <summary>A runner whose next answers are scripted: fail with an engine error, succeed, or never answer.</summary>
internal sealed class ScriptedRunner : IModelRunner, IModelStatistics
{
    public static readonly IReadOnlyList<Tensor> Answer = [Tensor.Create("y", TensorDataType.Fp32, [1], new[] { 42f })];

    public bool Failing { get; set; }

    public bool Hanging { get; set; }

    public int Calls { get; private set; }

    public static InferenceRequest Request { get; } = new() { Inputs = [Tensor.Create("x", TensorDataType.Fp32, [1], new[] { 1f })] };

    public async Task<IReadOnlyList<Tensor>> InferAsync(InferenceRequest request, CancellationToken cancellationToken)
    {
        Calls++;
        if (Hanging)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        return Failing ? throw new InferenceException(InferenceErrorKind.Backend, "engine failed") : Answer;
    }

    public ModelStatisticsSnapshot GetStatistics() => new();

    public int QueueDepth => 0;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

using InferenceService.Runtime.Telemetry;
using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Inference;

/// <summary>
/// The outermost runner: counts every request's outcome (success, or failure with Triton's reason) and its duration,
/// so cache hits, breaker rejections and timeouts are counted like the rest.
/// </summary>
internal sealed class ObservedRunner(IModelRunner inner, ModelMetrics metrics, TimeProvider timeProvider) : IModelRunner, IModelStatistics, IAdmissionCheck
{
    public IModelRunner Inner => inner;

    public async Task<IReadOnlyList<Tensor>> InferAsync(InferenceRequest request, CancellationToken cancellationToken)
    {
        var start = timeProvider.GetTimestamp();
        try
        {
            var outputs = await inner.InferAsync(request, cancellationToken).ConfigureAwait(false);
            metrics.Success(timeProvider.GetElapsedTime(start).TotalSeconds);
            return outputs;
        }
        catch (Exception e)
        {
            metrics.Failure(e);
            throw;
        }
    }

    public ModelStatisticsSnapshot GetStatistics() => ((IModelStatistics)inner).GetStatistics();

    public int QueueDepth => ((IModelStatistics)inner).QueueDepth;

    public InferenceException? CheckAdmission(TimeSpan? timeout, int admitted) => (inner as IAdmissionCheck)?.CheckAdmission(timeout, admitted);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}

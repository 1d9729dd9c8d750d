namespace InferenceService.Runtime.Batching;

/// <summary>
/// How long the queue ahead of a new request takes to drain: an exponentially weighted mean of the time each served
/// request costs an instance (a batch's time over its requests), times the requests queued, over the instances.
/// </summary>
internal sealed class QueueDrainEstimate(TimeProvider timeProvider)
{
    // Recent batches weigh most: the cost follows load changes (batch sizes, lengths) within a few dozen batches.
    private const double Weight = 0.1;

    private readonly Lock _gate = new();
    private double _ticksPerRequest = double.NaN;

    public void Observe(int requests, long ticks)
    {
        if (requests <= 0)
        {
            return;
        }

        var sample = (double)ticks / requests;
        lock (_gate)
        {
            _ticksPerRequest = double.IsNaN(_ticksPerRequest) ? sample : _ticksPerRequest + (Weight * (sample - _ticksPerRequest));
        }
    }

    /// <summary>The expected wait behind <paramref name="queued"/> requests; null before any batch was measured.</summary>
    public TimeSpan? Wait(int queued, int instances)
    {
        double perRequest;
        lock (_gate)
        {
            perRequest = _ticksPerRequest;
        }

        return double.IsNaN(perRequest) ? null : TimeSpan.FromSeconds(queued * perRequest / Math.Max(1, instances) / timeProvider.TimestampFrequency);
    }
}

namespace InferenceService.Runtime.Batching;

/// <summary>
/// How long a new request would take to be answered: the requests ahead drain at the exponentially weighted mean time
/// each served request costs an instance (a batch's time over its requests), over the instances; then its own batch
/// runs (the weighted mean batch time).
/// </summary>
internal sealed class QueueDrainEstimate(TimeProvider timeProvider)
{
    // Recent batches weigh most: the cost follows load changes (batch sizes, lengths) within a few dozen batches.
    private const double Weight = 0.1;

    private readonly Lock _gate = new();
    private double _ticksPerRequest = double.NaN;
    private double _ticksPerBatch = double.NaN;

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
            _ticksPerBatch = double.IsNaN(_ticksPerBatch) ? ticks : _ticksPerBatch + (Weight * (ticks - _ticksPerBatch));
        }
    }

    /// <summary>The expected time to an answer behind <paramref name="ahead"/> requests; null before any batch was measured.</summary>
    public TimeSpan? Wait(int ahead, int instances)
    {
        double perRequest;
        double perBatch;
        lock (_gate)
        {
            perRequest = _ticksPerRequest;
            perBatch = _ticksPerBatch;
        }

        return double.IsNaN(perRequest) ? null : TimeSpan.FromSeconds(((ahead * perRequest / Math.Max(1, instances)) + perBatch) / timeProvider.TimestampFrequency);
    }
}

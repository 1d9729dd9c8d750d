namespace InferenceService.Runtime.Batching;

/// <summary>
/// How long a new request would take to be answered: the requests ahead drain at the exponentially weighted mean time
/// each served request costs an instance (a batch's time over its requests), over the instances; then its own batch
/// runs. A batch is planned at its weighted mean time plus twice the weighted mean deviation, so that a request
/// admitted (or dispatched) on the estimate finishes within its timeout for nearly every batch, not only the average one.
/// </summary>
internal sealed class QueueDrainEstimate(TimeProvider timeProvider)
{
    // Recent batches weigh most: the cost follows load changes (batch sizes, lengths) within a few dozen batches.
    private const double Weight = 0.1;

    // Mean + 2 mean deviations covers about 95 % of batch times for a normal-ish spread; the rest finish a little late.
    private const double DeviationsPlanned = 2;

    private readonly Lock _gate = new();
    private double _ticksPerRequest = double.NaN;
    private double _ticksPerBatch = double.NaN;
    private double _batchDeviation;

    public void Observe(int requests, long ticks)
    {
        if (requests <= 0)
        {
            return;
        }

        var sample = (double)ticks / requests;
        lock (_gate)
        {
            if (double.IsNaN(_ticksPerRequest))
            {
                _ticksPerRequest = sample;
                _ticksPerBatch = ticks;
                return;
            }

            _ticksPerRequest += Weight * (sample - _ticksPerRequest);
            _batchDeviation += Weight * (Math.Abs(ticks - _ticksPerBatch) - _batchDeviation);
            _ticksPerBatch += Weight * (ticks - _ticksPerBatch);
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
            perBatch = _ticksPerBatch + (DeviationsPlanned * _batchDeviation);
        }

        return double.IsNaN(perRequest) ? null : TimeSpan.FromSeconds(((ahead * perRequest / Math.Max(1, instances)) + perBatch) / timeProvider.TimestampFrequency);
    }

    /// <summary>The time to plan for a batch dispatched now, in timestamp ticks; null before any batch was measured.</summary>
    public long? BatchTicks()
    {
        lock (_gate)
        {
            return double.IsNaN(_ticksPerBatch) ? null : (long)Math.Ceiling(_ticksPerBatch + (DeviationsPlanned * _batchDeviation));
        }
    }
}

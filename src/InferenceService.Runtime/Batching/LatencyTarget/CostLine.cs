namespace InferenceService.Runtime.Batching.LatencyTarget;

/// <summary>A batch cost model: a batch of n items takes <see cref="InterceptMs"/> + <see cref="SlopeMs"/> · n milliseconds.</summary>
internal readonly record struct CostLine(double InterceptMs, double SlopeMs)
{
    /// <summary>The shape used before anything was measured (calibration failed): cost proportional to size, no batching gain assumed.</summary>
    public static CostLine Proportional { get; } = new(0, 1);

    public double Predict(int items) => InterceptMs + (SlopeMs * items);

    /// <summary>
    /// Least squares through the points, or null when they cannot pin down both terms: fewer than two points, sizes that
    /// span less than a factor of 2 (the slope would be mostly noise), or a fit with a non-positive slope. A negative
    /// intercept is refitted through the origin.
    /// </summary>
    public static CostLine? Fit(IReadOnlyCollection<CostPoint> points)
    {
        if (points.Count < 2 || points.Max(p => p.Items) < 2 * points.Min(p => p.Items))
        {
            return null;
        }

        double n = points.Count, sx = 0, sy = 0, sxx = 0, sxy = 0;
        foreach (var p in points)
        {
            sx += p.Items;
            sy += p.Ms;
            sxx += (double)p.Items * p.Items;
            sxy += p.Items * p.Ms;
        }

        var slope = ((n * sxy) - (sx * sy)) / ((n * sxx) - (sx * sx));
        var intercept = (sy - (slope * sx)) / n;
        if (intercept < 0)
        {
            slope = sxy / sxx;
            intercept = 0;
        }

        return slope > 0 && double.IsFinite(slope) ? new CostLine(intercept, slope) : null;
    }

    /// <summary>
    /// This line scaled so that it predicts the points' total time: keeps the shape (the ratio of intercept to slope) and
    /// follows a change that makes every batch proportionally slower or faster, from batches of a single size.
    /// </summary>
    public CostLine ScaledTo(IReadOnlyCollection<CostPoint> points)
    {
        var line = this;
        var predicted = points.Sum(p => line.Predict(p.Items));
        var observed = points.Sum(p => p.Ms);
        return predicted > 0 && observed > 0 ? new CostLine(InterceptMs * observed / predicted, SlopeMs * observed / predicted) : this;
    }
}

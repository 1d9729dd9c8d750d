namespace InferenceService.Runtime.Batching;

/// <summary>
/// The running cost model of one shape bucket (as BentoML's dispatcher keeps one): time ≈ a + b·n, refitted from the last
/// <see cref="Window"/> batches of the bucket. The window starts with the calibration points, so a new bucket begins
/// from this machine's measurements, and is all its own after <see cref="Window"/> batches.
/// Not thread-safe: <see cref="LatencyTuner"/> calls it under its lock.
/// </summary>
internal sealed class BatchCostModel
{
    /// <summary>Batches the fit looks back on: a change in cost is fully reflected after this many batches of the bucket.</summary>
    public const int Window = 16;

    private readonly Queue<CostPoint> window = new();
    private readonly CostLine shape;

    /// <param name="shape">The calibration fit (or <see cref="CostLine.Proportional"/>): its a:b ratio is kept while recent batches all have about the same size.</param>
    /// <param name="seed">The calibration points.</param>
    public BatchCostModel(CostLine shape, IEnumerable<CostPoint> seed)
    {
        this.shape = shape;
        foreach (var point in seed)
        {
            Add(point);
        }

        Line = window.Count > 0 ? Refit() : shape;
    }

    public CostLine Line { get; private set; }

    /// <summary>Batches observed since the bucket was created (calibration points not counted).</summary>
    public long Batches { get; private set; }

    public void Observe(CostPoint point)
    {
        Add(point);
        Batches++;
        Line = Refit();
    }

    // Both terms when the window's sizes span a factor of 2; otherwise (steady traffic gives one size) only the scale.
    private CostLine Refit() => CostLine.Fit(window) ?? shape.ScaledTo(window);

    private void Add(CostPoint point)
    {
        window.Enqueue(point);
        if (window.Count > Window)
        {
            window.Dequeue();
        }
    }
}

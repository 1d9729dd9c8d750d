namespace InferenceService.Runtime.Batching.LatencyTarget;

/// <summary>
/// The running cost model of one shape bucket (as BentoML's dispatcher keeps one): time ≈ a + b·n, refitted from the last
/// <see cref="Window"/> batches of the bucket. The window starts with the calibration points, so a new bucket begins
/// from this machine's measurements, and is all its own after <see cref="Window"/> batches. Two batches in a row that
/// take more than <see cref="ShiftRatio"/> times (or less than 1 / ShiftRatio of) the prediction mean the cost has
/// changed (another tenant, throttling, a new shape mix): the window then restarts from those two, instead of mixing
/// old and new costs for up to <see cref="Window"/> batches. One outlier alone is only averaged in.
/// Not thread-safe: <see cref="LatencyTuner"/> calls it under its lock.
/// </summary>
internal sealed class BatchCostModel
{
    /// <summary>Batches the fit looks back on: a change in cost is fully reflected after this many batches of the bucket.</summary>
    public const int Window = 16;

    public const double ShiftRatio = 1.5;

    private readonly Queue<CostPoint> _window = new();
    private readonly CostLine _shape;

    // The previous observation and whether it was off the prediction: +1 slower, -1 faster, 0 within ShiftRatio.
    private CostPoint _previous;
    private int _previousShift;

    /// <param name="shape">The calibration fit (or <see cref="CostLine.Proportional"/>): its a:b ratio is kept while recent batches all have about the same size.</param>
    /// <param name="seed">The calibration points.</param>
    public BatchCostModel(CostLine shape, IEnumerable<CostPoint> seed)
    {
        _shape = shape;
        foreach (var point in seed)
        {
            Add(point);
        }

        Line = _window.Count > 0 ? Refit() : shape;
    }

    public CostLine Line { get; private set; }

    /// <summary>Batches observed since the bucket was created (calibration points not counted).</summary>
    public long Batches { get; private set; }

    public void Observe(CostPoint point)
    {
        var ratio = point.Ms / Line.Predict(point.Items);
        var shift = ratio > ShiftRatio ? 1 : ratio < 1 / ShiftRatio ? -1 : 0;
        if (shift != 0 && shift == _previousShift)
        {
            _window.Clear();
            _window.Enqueue(_previous);
            shift = 0;
        }

        _previous = point;
        _previousShift = shift;
        Add(point);
        Batches++;
        Line = Refit();
    }

    // Both terms when the window's sizes span a factor of 2; otherwise (steady traffic gives one size) only the scale.
    private CostLine Refit() => CostLine.Fit(_window) ?? _shape.ScaledTo(_window);

    private void Add(CostPoint point)
    {
        _window.Enqueue(point);
        if (_window.Count > Window)
        {
            _window.Dequeue();
        }
    }
}

namespace InferenceService.Training.Export;

/// <summary>Max |ONNX Runtime − TorchSharp| per batch size; the export passes when every figure is within tolerance.</summary>
internal sealed record ParityReport(IReadOnlyDictionary<int, double> MaxAbsDiffByBatch, double Tolerance)
{
    public const double DefaultTolerance = 1e-4;

    public double MaxAbsDiff => MaxAbsDiffByBatch.Values.DefaultIfEmpty(double.PositiveInfinity).Max();

    public bool Passed => MaxAbsDiffByBatch.Count > 0 && MaxAbsDiff <= Tolerance && !double.IsNaN(MaxAbsDiff);

    public override string ToString() =>
        string.Join(", ", MaxAbsDiffByBatch.Select(p => FormattableString.Invariant($"batch {p.Key}: max |diff| {p.Value:0.00E+00}"))) +
        (Passed ? FormattableString.Invariant($" (≤ {Tolerance:0E+00}, pass)") : FormattableString.Invariant($" (> {Tolerance:0E+00}, FAIL)"));
}

namespace InferenceService.Training.Reports;

/// <summary>File names inside a run folder.</summary>
internal static class RunFiles
{
    public const string Onnx = "model.onnx";
    public const string Weights = "weights.dat";
    public const string Manifest = "run.json";
    public const string Config = "config.json";
    public const string Labels = "labels.txt";
    public const string Metrics = "metrics.json";
    public const string Card = "MODEL_CARD.md";
    public const string Parity = "parity.json";
    public const string Confusion = "confusion.png";
}

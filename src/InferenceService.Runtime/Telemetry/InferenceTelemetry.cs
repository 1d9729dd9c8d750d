using System.Diagnostics;

namespace InferenceService.Runtime.Telemetry;

/// <summary>
/// The names the host subscribes to, the service's one <see cref="ActivitySource"/> (spans carry no state of their own),
/// and Triton's failure reasons. The instruments live on <see cref="InferenceMeters"/>.
/// </summary>
public static class InferenceTelemetry
{
    public const string SourceName = "InferenceService";
    public const string MeterName = "InferenceService";

    public const string ModelTag = "model";
    public const string VersionTag = "version";
    public const string ReasonTag = "reason";

    public const string PreprocessSpan = "preprocess";
    public const string PostprocessSpan = "postprocess";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>A task endpoint's pre- or post-processing span (decode, tokenise, pool, rank), tagged with its model.</summary>
    public static Activity? StartStage(string span, string model) =>
        Source.StartActivity(span)?.SetTag("inference.model", model);

    /// <summary>Triton's failure reasons, from what the runner threw.</summary>
    public static string ReasonOf(Exception error) => error switch
    {
        Inference.InferenceException { Kind: Inference.InferenceErrorKind.BadRequest } => "bad_request",
        Inference.InferenceException { Kind: Inference.InferenceErrorKind.Unavailable or Inference.InferenceErrorKind.NotFound } => "rejected",
        Inference.InferenceException { Kind: Inference.InferenceErrorKind.Timeout } => "timeout",
        OperationCanceledException => "canceled",
        _ => "backend",
    };
}

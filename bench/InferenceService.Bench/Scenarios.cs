namespace InferenceService.Bench;

/// <summary>The load scenarios run.sh drives (its names), with the model whose statistics cover them.</summary>
internal static class Scenarios
{
    public const string Trivial = "trivial";
    public const string ResNet = "resnet18-binary";
    public const string MiniLm16 = "minilm16-v2json";
    public const string Text16 = "minilm16-text";
    public const string MiniLm16BinaryOut = "minilm16-v2binout";
    public const string MiniLm128 = "minilm128-v2json";
    public const string Text128 = "minilm128-text";
    public const string Recommender = "recommender";
    public const string BatchOn = "minilm16-batch-on";
    public const string BatchOff = "minilm16-batch-off";
    public const string ResNetBatchOn = "resnet18-batch-on";
    public const string ResNetBatchOff = "resnet18-batch-off";

    /// <summary>The same workloads against a Triton-style config: max_queue_delay 2000 µs (MiniLM), 1000 µs (ResNet18).</summary>
    public const string Delayed = "-delay";

    /// <summary>ResNet18 saturated (16 clients) alone, and beside a paced MiniLM client (cross-model scheduling).</summary>
    public const string ResNetAlone = "resnet18-alone";
    public const string ResNetBeside = "resnet18-beside-minilm";

    public static IReadOnlyDictionary<string, string> Descriptions { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Trivial] = "GET /v2/health/live (HTTP ceiling)",
        [ResNet] = "resnet18, V2 raw binary (602 KB)",
        [MiniLm16] = "minilm seq 16, V2 JSON",
        [Text16] = "minilm seq 16, /v1/text/embeddings",
        [MiniLm16BinaryOut] = "minilm seq 16, V2 JSON in, binary out",
        [MiniLm128] = "minilm seq 128, V2 JSON",
        [Text128] = "minilm seq 128, /v1/text/embeddings",
        [Recommender] = "recommender, GET /v1/recommendations/…/users/1",
        [BatchOn] = "minilm seq 16, V2 JSON, batching on",
        [BatchOff] = "minilm seq 16, V2 JSON, batching off",
        [ResNetBatchOn] = "resnet18, V2 raw binary, batching on",
        [ResNetBatchOff] = "resnet18, V2 raw binary, batching off",
        [ResNet + Delayed] = "resnet18, V2 raw binary, max_queue_delay 1000 µs",
        [MiniLm16 + Delayed] = "minilm seq 16, V2 JSON, max_queue_delay 2000 µs",
        [MiniLm16BinaryOut + Delayed] = "minilm seq 16, V2 JSON in, binary out, max_queue_delay 2000 µs",
        [ResNetAlone] = "resnet18, V2 raw binary, saturated alone",
        [ResNetBeside] = "resnet18, V2 raw binary, saturated beside a paced MiniLM client",
    };
}

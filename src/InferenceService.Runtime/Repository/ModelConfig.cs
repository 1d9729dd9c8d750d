using System.Text.Json;
using InferenceService.Runtime.Batching;

namespace InferenceService.Runtime.Repository;

/// <summary>A model's <c>config.json</c> (snake_case), modelled on Triton's model configuration.</summary>
public sealed record ModelConfig
{
    public string Platform { get; init; } = "onnxruntime_onnx";

    /// <summary>0: the model does not batch and dims are the full shape. &gt; 0: dims exclude the batch dimension.</summary>
    public int MaxBatchSize { get; init; }

    public IReadOnlyList<TensorConfig> Inputs { get; init; } = [];

    public IReadOnlyList<TensorConfig> Outputs { get; init; } = [];

    public int InstanceCount { get; init; } = 1;

    /// <summary>Tried in order; CPU is always the last resort whether listed or not.</summary>
    public IReadOnlyList<string> ExecutionProviders { get; init; } = ["cuda", "cpu"];

    /// <summary>disabled, basic, extended or all.</summary>
    public string GraphOptimizationLevel { get; init; } = "all";

    /// <summary>0: the cores divided among the instances, so that instances × threads never exceeds the cores.</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>
    /// ONNX Runtime's <c>session.intra_op.allow_spinning</c>: whether its worker threads spin between runs. ONNX Runtime
    /// spins by default; here it is off because Kestrel, the batcher and the pre/post-processing share the same cores,
    /// and spinning threads take their CPU (MiniLM seq 16 on 2 cores, 32 clients: 448–452 req/s spinning, 545–644 not).
    /// </summary>
    public bool IntraOpSpinning { get; init; }

    public WarmupConfig? Warmup { get; init; }

    public VersionPolicyConfig? VersionPolicy { get; init; }

    public DynamicBatchingConfig? DynamicBatching { get; init; }

    /// <summary>Opt-in response cache (Triton's <c>response_cache</c>); null or enable false: answers are always computed.</summary>
    public ResponseCacheConfig? ResponseCache { get; init; }

    /// <summary>Pre- and post-processing for the task endpoints; opaque to the core.</summary>
    public JsonElement? Pipeline { get; init; }
}

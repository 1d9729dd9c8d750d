using InferenceService.Grpc;
using InferenceService.Runtime.Batching;
using InferenceService.Runtime.Repository;
using InferenceService.Runtime.Sessions;
using InferenceService.Runtime.Tensors;
using RepositoryConfig = InferenceService.Runtime.Repository.ModelConfig;
using TritonConfig = InferenceService.Grpc.ModelConfig;

namespace InferenceService.Apis;

/// <summary>
/// A served version's configuration as Triton's <c>ModelConfig</c> message: the one answer of the REST config route
/// (through the protobuf JSON mapping) and the ModelConfig RPC. Fields Triton has are filled as Triton fills them
/// (what the version runs with: its scheduler, its instances' device, its warm-up); the rest of config.json is in
/// <c>parameters</c> (<see cref="TritonModelParameters"/>).
/// </summary>
internal static class TritonModelConfig
{
    /// <summary>Triton's backend name for ONNX Runtime models.</summary>
    public const string Backend = "onnxruntime";

    public static TritonConfig From(ModelVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        var config = version.Config;
        var result = new TritonConfig
        {
            Name = version.Name,
            Platform = config.Platform,
            Backend = Backend,
            VersionPolicy = VersionPolicy(config.VersionPolicy),
            MaxBatchSize = config.MaxBatchSize,
            Optimization = new ModelOptimizationPolicy { Graph = new ModelOptimizationPolicy.Types.Graph { Level = GraphLevel(config.GraphOptimizationLevel) } },
            DefaultModelFilename = ModelConfigLoader.ModelFileName,
        };
        result.Input.AddRange(config.Inputs.Select(i => new ModelInput { Name = i.Name, DataType = DataTypeOf(i.Datatype), Dims = { i.Dims } }));
        result.Output.AddRange(config.Outputs.Select(o => new ModelOutput { Name = o.Name, DataType = DataTypeOf(o.Datatype), Dims = { o.Dims } }));

        // As the runner factory decides: without a batch dim the section is not used, and the version runs requests alone.
        if (config.MaxBatchSize > 0 && config.DynamicBatching is { } batching)
        {
            result.DynamicBatching = DynamicBatching(batching);
        }

        result.InstanceGroup.Add(InstanceGroup(version));
        result.ModelWarmup.Add(Warmup(config));

        if (config.ResponseCache is { } cache)
        {
            result.ResponseCache = new ModelResponseCache { Enable = cache.Enable };
        }

        result.Parameters.Add(TritonModelParameters.From(config));
        return result;
    }

    /// <summary>Triton's name of a V2 datatype: TYPE_ and the V2 name, except BYTES, which Triton's configs call TYPE_STRING.</summary>
    public static DataType DataTypeOf(string datatype) => !TensorDataTypes.TryParse(datatype, out var type) ? DataType.TypeInvalid : type switch
    {
        TensorDataType.Bool => DataType.TypeBool,
        TensorDataType.UInt8 => DataType.TypeUint8,
        TensorDataType.UInt16 => DataType.TypeUint16,
        TensorDataType.UInt32 => DataType.TypeUint32,
        TensorDataType.UInt64 => DataType.TypeUint64,
        TensorDataType.Int8 => DataType.TypeInt8,
        TensorDataType.Int16 => DataType.TypeInt16,
        TensorDataType.Int32 => DataType.TypeInt32,
        TensorDataType.Int64 => DataType.TypeInt64,
        TensorDataType.Fp16 => DataType.TypeFp16,
        TensorDataType.Bf16 => DataType.TypeBf16,
        TensorDataType.Fp32 => DataType.TypeFp32,
        TensorDataType.Fp64 => DataType.TypeFp64,
        TensorDataType.Bytes => DataType.TypeString,
        _ => DataType.TypeInvalid,
    };

    /// <summary>The policy <see cref="VersionPolicyConfig.Select"/> applies, in its precedence: specific, all, latest (1 when none is set).</summary>
    private static ModelVersionPolicy VersionPolicy(VersionPolicyConfig? policy)
    {
        if (policy?.Specific is { } specific)
        {
            return new ModelVersionPolicy { Specific = new ModelVersionPolicy.Types.Specific { Versions = { specific } } };
        }

        return policy?.All is not null
            ? new ModelVersionPolicy { All = new ModelVersionPolicy.Types.All() }
            : new ModelVersionPolicy { Latest = new ModelVersionPolicy.Types.Latest { NumVersions = (uint)Math.Max(0, policy?.Latest ?? 1) } };
    }

    /// <summary>
    /// Triton's ONNX Runtime backend reads 0 as all optimisations, 1 as extended and -1 as basic; it has no "disabled",
    /// for which -1 (Triton's generic "disabled") stands. The exact level is in parameters.graph_optimization_level.
    /// </summary>
    private static int GraphLevel(string level) => level switch
    {
        "extended" => 1,
        "basic" or "disabled" => -1,
        _ => 0,
    };

    private static ModelDynamicBatching DynamicBatching(DynamicBatchingConfig batching)
    {
        var result = new ModelDynamicBatching
        {
            MaxQueueDelayMicroseconds = (ulong)Math.Max(0, batching.MaxQueueDelayMicroseconds),
            PriorityLevels = (uint)Math.Max(0, batching.PriorityLevels),
            DefaultPriorityLevel = (uint)Math.Max(0, batching.DefaultPriorityLevel),
            DefaultQueuePolicy = new ModelQueuePolicy
            {
                // A request past its queue timeout is answered at once (504), never run late; its own timeout may only shorten the default.
                TimeoutAction = ModelQueuePolicy.Types.TimeoutAction.Reject,
                DefaultTimeoutMicroseconds = (ulong)Math.Max(0, batching.DefaultTimeoutMicroseconds),
                AllowTimeoutOverride = true,

                // The bound in force: 0 in config.json means DefaultMaxQueueSize here, where Triton's 0 would mean unbounded.
                MaxQueueSize = (uint)(batching.MaxQueueSize > 0 ? batching.MaxQueueSize : DynamicBatchingConfig.DefaultMaxQueueSize),
            },
        };
        result.PreferredBatchSize.AddRange(batching.PreferredBatchSizes);
        return result;
    }

    /// <summary>The device the instances run on: known once loaded; before that, GPU when available (KIND_AUTO) if CUDA is listed.</summary>
    private static ModelInstanceGroup InstanceGroup(ModelVersion version)
    {
        var config = version.Config;
        var kind = version.Pool?.ExecutionProvider switch
        {
            ExecutionProviderCatalog.Cuda => ModelInstanceGroup.Types.Kind.Gpu,
            ExecutionProviderCatalog.Cpu => ModelInstanceGroup.Types.Kind.Cpu,
            _ => config.ExecutionProviders.Contains(ExecutionProviderCatalog.Cuda) ? ModelInstanceGroup.Types.Kind.Auto : ModelInstanceGroup.Types.Kind.Cpu,
        };
        var group = new ModelInstanceGroup { Name = version.Name + "_0", Kind = kind, Count = version.Pool?.InstanceCount ?? config.InstanceCount };
        if (kind == ModelInstanceGroup.Types.Kind.Gpu)
        {
            // The CUDA provider is always appended for device 0.
            group.Gpus.Add(0);
        }

        return group;
    }

    /// <summary>The zero-filled runs every instance makes before the version reports ready (config.json's or the default, batch 1, 1 run).</summary>
    private static ModelWarmup Warmup(RepositoryConfig config)
    {
        var spec = config.Warmup ?? new WarmupConfig();
        var warmup = new ModelWarmup { Name = "zero_data", BatchSize = (uint)(config.MaxBatchSize > 0 ? spec.BatchSize : 1), Count = (uint)spec.Runs };
        foreach (var input in config.Inputs)
        {
            warmup.Inputs[input.Name] = new ModelWarmup.Types.Input { DataType = DataTypeOf(input.Datatype), Dims = { spec.DimsOf(input) }, ZeroData = true };
        }

        return warmup;
    }
}

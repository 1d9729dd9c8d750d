using System.Globalization;
using System.Runtime.CompilerServices;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Repository;
using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Batching;

/// <summary>
/// What the batcher needs from a model's config, worked out once: which tensor axes of each input may be padded,
/// which output axes follow them, and the queue policy in ticks of the injected clock.
/// </summary>
/// <remarks>
/// Padding rule: an input whose config dim i is -1 has a variable tensor axis i + 1 and is padded there with its
/// pad_value. An output whose config dim i is -1 follows the _inputs' variable axis i + 1 when the model returns it with
/// exactly the batch's padded length there; each request then gets its own length back. Any other output axis is only
/// split by batch (e.g. MiniLM's last_hidden_state [-1, 384] is sliced on axis 1, pooler_output [384] is not).
/// </remarks>
internal sealed class BatchingModel
{
    private readonly Dictionary<string, TensorConfig> _inputs;
    private readonly Dictionary<string, bool[]> _outputVariableAxes;
    private readonly Dictionary<string, bool[]> _inputVariableAxes;
    private readonly ShapeKeys _shapeKeys = new();

    public BatchingModel(string name, ModelConfig config, TimeProvider timeProvider)
    {
        var batching = config.DynamicBatching ?? throw new ArgumentException($"model '{name}' has no dynamic_batching section.", nameof(config));
        Name = name;
        Config = config;
        LatencyTargetMs = batching.LatencyTargetMs;
        MaxBatchSize = config.MaxBatchSize;
        AllOutputs = config.Outputs.Select(o => o.Name).ToList();
        _inputs = config.Inputs.ToDictionary(i => i.Name, StringComparer.Ordinal);
        _outputVariableAxes = config.Outputs.ToDictionary(o => o.Name, o => VariableAxes(o.Dims), StringComparer.Ordinal);
        _inputVariableAxes = config.Inputs.ToDictionary(i => i.Name, i => VariableAxes(i.Dims), StringComparer.Ordinal);
        PreferredBatchSizes = batching.PreferredBatchSizes.ToHashSet();
        BatchCap = batching.PreferredBatchSizes.Count > 0 ? batching.PreferredBatchSizes.Max() : config.MaxBatchSize;
        QueueCapacity = batching.MaxQueueSize > 0 ? batching.MaxQueueSize : DynamicBatchingConfig.DefaultMaxQueueSize;
        MaxQueueDelay = TimeSpan.FromMicroseconds(batching.MaxQueueDelayMicroseconds);
        MaxQueueDelayTicks = (long)((Int128)batching.MaxQueueDelayMicroseconds * timeProvider.TimestampFrequency / 1_000_000);
        DefaultTimeout = batching.DefaultTimeoutMicroseconds > 0 ? TimeSpan.FromMicroseconds(batching.DefaultTimeoutMicroseconds) : null;
        PriorityLevels = Math.Max(1, batching.PriorityLevels);
        DefaultLevel = batching.PriorityLevels > 0 ? batching.DefaultPriorityLevel - 1 : 0;
        LengthBuckets = batching.LengthBuckets;
        MaxBatchTokens = batching.MaxBatchTokens;
    }

    public string Name { get; }

    /// <summary>The whole config: latency-target calibration builds its _inputs from it as warm-up does.</summary>
    public ModelConfig Config { get; }

    /// <summary>dynamic_batching.latency_target_ms; null keeps the static knobs.</summary>
    public double? LatencyTargetMs { get; }

    public int MaxBatchSize { get; }

    public IReadOnlyList<string> AllOutputs { get; }

    public IReadOnlySet<int> PreferredBatchSizes { get; }

    /// <summary>Items a batch grows to at most: the largest preferred size, else max_batch_size (Triton's rule).</summary>
    public int BatchCap { get; }

    public int QueueCapacity { get; }

    public TimeSpan MaxQueueDelay { get; }

    public long MaxQueueDelayTicks { get; }

    public TimeSpan? DefaultTimeout { get; }

    /// <summary>At least 1; levels are 0-based inside the batcher (level 0 = priority 1).</summary>
    public int PriorityLevels { get; }

    public int DefaultLevel { get; }

    public IReadOnlyList<long> LengthBuckets { get; }

    /// <summary>dynamic_batching.max_batch_tokens: no batch costs more rows × padded length; null for no budget.</summary>
    public long? MaxBatchTokens { get; }

    /// <summary>Checks what a batch's other members depend on and works out where the request may be queued.</summary>
    /// <exception cref="InferenceException">BadRequest, with the reason.</exception>
    public RequestShape Describe(InferenceRequest request)
    {
        var inputs = request.Inputs;
        if (inputs.Count == 0)
        {
            throw InferenceException.BadRequest($"model '{Name}': the request has no _inputs.");
        }

        var rows = inputs[0].Shape.Length > 0 ? inputs[0].Shape[0] : 0;

        // Runs per request: the key is written into a stack buffer and looked up among the keys already seen, so a
        // request of a known shape allocates nothing here but its RequestShape.
        Span<int> order = inputs.Count <= 16 ? stackalloc int[inputs.Count] : new int[inputs.Count];
        SortByName(inputs, order);
        var key = new DefaultInterpolatedStringHandler(0, 0, CultureInfo.InvariantCulture, stackalloc char[256]);
        long length = 0;
        string? previous = null;
        foreach (var index in order)
        {
            var tensor = inputs[index];
            if (tensor.Name == previous)
            {
                throw InferenceException.BadRequest($"model '{Name}': input '{tensor.Name}' is given twice.");
            }

            previous = tensor.Name;
            if (_inputs.Count > 0 && !_inputs.ContainsKey(tensor.Name))
            {
                throw InferenceException.BadRequest($"model '{Name}' has no input '{tensor.Name}'.");
            }

            if (tensor.Shape.Length == 0 || tensor.Shape[0] != rows)
            {
                throw InferenceException.BadRequest(
                    $"model '{Name}': every input needs the same batch size as dim 0; '{inputs[0].Name}' has {rows}, {tensor}.");
            }

            var variable = InputVariableAxes(tensor.Name, tensor.Shape.Length);
            key.AppendFormatted(tensor.Name);
            key.AppendLiteral(":");
            AppendNumber(ref key, (int)tensor.DataType);
            key.AppendLiteral("[");
            for (var axis = 1; axis < tensor.Shape.Length; axis++)
            {
                if (variable[axis])
                {
                    key.AppendLiteral("*,");
                    length = Math.Max(length, tensor.Shape[axis]);
                }
                else
                {
                    AppendNumber(ref key, tensor.Shape[axis]);
                    key.AppendLiteral(",");
                }
            }

            key.AppendLiteral("]");
        }

        if (rows < 1 || rows > MaxBatchSize)
        {
            // Rejected, as Triton does: running it alone would still exceed what the model was exported and sized for.
            throw InferenceException.BadRequest($"model '{Name}': the request's batch size {rows} must be in 1..{MaxBatchSize} (max_batch_size).");
        }

        var outputs = request.Outputs ?? AllOutputs;
        for (var o = 0; o < outputs.Count; o++)
        {
            if (!_outputVariableAxes.ContainsKey(outputs[o]))
            {
                throw InferenceException.BadRequest($"model '{Name}' has no output '{outputs[o]}'.");
            }
        }

        if (MaxBatchTokens is { } budget && TokenBudget.Cost(rows, length) > budget)
        {
            // Refused, as TEI refuses inputs over max_input_length: no batch may cost more, so it could never run.
            throw InferenceException.BadRequest(
                $"model '{Name}': the request's padded size {rows} rows × {length} = {TokenBudget.Cost(rows, length)} exceeds dynamic_batching.max_batch_tokens {budget}; send fewer rows or shorter sequences.");
        }

        var bucket = 0;
        while (bucket < LengthBuckets.Count && length > LengthBuckets[bucket])
        {
            bucket++;
        }

        key.AppendLiteral("#b");
        AppendNumber(ref key, bucket);
        return new RequestShape(_shapeKeys.Intern(ref key), (int)rows, length, outputs);
    }

    /// <summary>The 0-based level for a request's priority (1 = highest); BadRequest when out of range.</summary>
    public int ResolveLevel(int? priority)
    {
        if (PriorityLevels == 1 || priority is null)
        {
            // With one level Triton ignores the priority.
            return DefaultLevel;
        }

        if (priority < 1 || priority > PriorityLevels)
        {
            throw InferenceException.BadRequest($"model '{Name}': priority {priority} must be in 1..{PriorityLevels} (priority_levels).");
        }

        return priority.Value - 1;
    }

    /// <summary>The request's queue timeout: its own if shorter than the model's default, else the default; null for none.</summary>
    public TimeSpan? ResolveTimeout(TimeSpan? requested)
    {
        if (requested is not { } own)
        {
            return DefaultTimeout;
        }

        if (own <= TimeSpan.Zero)
        {
            throw InferenceException.BadRequest($"model '{Name}': timeout must be positive, got {own.TotalMicroseconds} µs.");
        }

        // A request may only shorten the model's limit, never lengthen it.
        return DefaultTimeout is { } limit && limit < own ? limit : own;
    }

    /// <summary>Per tensor axis (0 = batch), whether the input may be padded there.</summary>
    public ReadOnlySpan<bool> InputVariableAxes(string name, int rank) =>
        _inputVariableAxes.TryGetValue(name, out var axes) && axes.Length == rank ? axes : new bool[rank];

    public double PadValue(string input) => _inputs.TryGetValue(input, out var config) ? config.PadValue ?? 0 : 0;

    /// <summary>Per tensor axis (0 = batch), whether the output's config declares it -1.</summary>
    public bool[] OutputVariableAxes(string name) => _outputVariableAxes.TryGetValue(name, out var axes) ? axes : [];

    /// <summary>
    /// Through a span: the handler's generic AppendFormatted boxes a number until the JIT has optimised the caller, and
    /// Describe runs on every request.
    /// </summary>
    private static void AppendNumber(ref DefaultInterpolatedStringHandler key, long value)
    {
        Span<char> digits = stackalloc char[20];
        value.TryFormat(digits, out var written, default, CultureInfo.InvariantCulture);
        key.AppendFormatted((ReadOnlySpan<char>)digits[..written]);
    }

    /// <summary>Indices of <paramref name="inputs"/> in ordinal name order (a handful of inputs: insertion sort).</summary>
    private static void SortByName(IReadOnlyList<Tensor> inputs, Span<int> order)
    {
        for (var i = 0; i < order.Length; i++)
        {
            var j = i;
            while (j > 0 && string.CompareOrdinal(inputs[order[j - 1]].Name, inputs[i].Name) > 0)
            {
                order[j] = order[j - 1];
                j--;
            }

            order[j] = i;
        }
    }

    private static bool[] VariableAxes(IReadOnlyList<long> dims)
    {
        var axes = new bool[dims.Count + 1];
        for (var i = 0; i < dims.Count; i++)
        {
            axes[i + 1] = dims[i] < 0;
        }

        return axes;
    }
}

using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Protocol;
using InferenceService.Runtime.Telemetry;
using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Caching;

/// <summary>
/// Triton's response cache in front of one model version: key = model + version + SHA-256 of the inputs (names,
/// datatypes, shapes, bytes) and the requested outputs. A miss runs the model and stores the answer.
/// </summary>
internal sealed class CachingRunner(IModelRunner inner, ResponseCache cache, ModelMetrics metrics, long maxEntryBytes) : IModelRunner, IModelStatistics, IAdmissionCheck
{
    private readonly string _prefix = string.Create(CultureInfo.InvariantCulture, $"{metrics.Model.Length}:{metrics.Model}/{metrics.Version}/");
    private long _hits;
    private long _hitTicks;
    private long _misses;
    private long _missTicks;

    public async Task<IReadOnlyList<Tensor>> InferAsync(InferenceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = Stopwatch.GetTimestamp();
        var key = _prefix + Hash(request);
        if (cache.TryGet(key, out var cached))
        {
            metrics.Cache(hit: true);
            Interlocked.Increment(ref _hits);
            Interlocked.Add(ref _hitTicks, Stopwatch.GetTimestamp() - started);
            return cached;
        }

        // Counted at the lookup, as /metrics counts it, so a request the model then fails is a miss in both.
        metrics.Cache(hit: false);
        Interlocked.Increment(ref _misses);
        Interlocked.Add(ref _missTicks, Stopwatch.GetTimestamp() - started);
        var outputs = await inner.InferAsync(request, cancellationToken).ConfigureAwait(false);
        var inserting = Stopwatch.GetTimestamp();
        var size = outputs.Sum(BinaryTensorData.SizeOf);
        if (maxEntryBytes == 0 || size <= maxEntryBytes)
        {
            cache.Add(key, outputs, size);
        }

        Interlocked.Add(ref _missTicks, Stopwatch.GetTimestamp() - inserting);
        return outputs;
    }

    /// <summary>The model's counters plus the cache's; as in Triton, <c>success</c> also counts the requests a hit answered.</summary>
    public int QueueDepth => ((IModelStatistics)inner).QueueDepth;

    public InferenceException? CheckAdmission(TimeSpan? timeout, int admitted) => (inner as IAdmissionCheck)?.CheckAdmission(timeout, admitted);

    public ModelStatisticsSnapshot GetStatistics()
    {
        var model = ((IModelStatistics)inner).GetStatistics();
        var hit = new StatisticsDuration(Volatile.Read(ref _hits), Nanoseconds(Volatile.Read(ref _hitTicks)));
        return model with
        {
            Success = new StatisticsDuration(model.Success.Count + hit.Count, model.Success.Ns + hit.Ns),
            CacheHit = hit,
            CacheMiss = new StatisticsDuration(Volatile.Read(ref _misses), Nanoseconds(Volatile.Read(ref _missTicks))),
        };
    }

    private static long Nanoseconds(long ticks) => (long)(ticks * (1e9 / Stopwatch.Frequency));

    public ValueTask DisposeAsync()
    {
        cache.RemoveByPrefix(_prefix);
        return inner.DisposeAsync();
    }

    /// <summary>Length-prefixed fields, so that no two different requests hash the same bytes.</summary>
    internal static string Hash(InferenceRequest request)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new ArrayBufferWriter<byte>();
        foreach (var input in request.Inputs.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            AppendString(hash, input.Name);
            AppendString(hash, input.DataType.ToWireName());
            AppendLong(hash, input.Shape.Length);
            foreach (var d in input.Shape)
            {
                AppendLong(hash, d);
            }

            buffer.ResetWrittenCount();
            BinaryTensorData.Encode(input, buffer);
            AppendLong(hash, buffer.WrittenCount);
            hash.AppendData(buffer.WrittenSpan);
        }

        if (request.Outputs is { } outputs)
        {
            AppendLong(hash, outputs.Count);
            foreach (var name in outputs)
            {
                AppendString(hash, name);
            }
        }
        else
        {
            AppendLong(hash, -1);
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private static void AppendString(IncrementalHash hash, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        AppendLong(hash, bytes.Length);
        hash.AppendData(bytes);
    }

    private static void AppendLong(IncrementalHash hash, long value)
    {
        Span<byte> bytes = stackalloc byte[sizeof(long)];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        hash.AppendData(bytes);
    }
}

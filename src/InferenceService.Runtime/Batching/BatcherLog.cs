using Microsoft.Extensions.Logging;

namespace InferenceService.Runtime.Batching;

internal static partial class BatcherLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Model '{Model}': a batch of {Requests} requests ({Items} items) failed")]
    public static partial void BatchFailed(ILogger logger, string model, int requests, long items, Exception exception);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "Model '{Model}': a batch of {Requests} requests failed ({Reason}); re-running parts of it to find the requests at fault")]
    public static partial void Isolating(ILogger logger, string model, int requests, string reason);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Error, Message = "Model '{Model}': the batch scheduler stopped unexpectedly; queued requests are failed")]
    public static partial void LoopFailed(ILogger logger, string model, Exception exception);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Model '{Model}': {Batches} batches still ran {Timeout} after shutdown began; they are cancelled")]
    public static partial void DrainTimedOut(ILogger logger, string model, int batches, TimeSpan timeout);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Model '{Model}': latency target {TargetMs} ms calibrated ({Calibration}): batch ≈ {AMs:F3} + {BMs:F3}·n ms, batches of up to {BatchSize}")]
    public static partial void Calibrated(ILogger logger, string model, double targetMs, string calibration, double aMs, double bMs, int batchSize);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "Model '{Model}': {Warning}")]
    public static partial void TargetUnreachable(ILogger logger, string model, string warning);
}

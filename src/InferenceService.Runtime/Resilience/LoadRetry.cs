using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace InferenceService.Runtime.Resilience;

/// <summary>
/// Retries reading a model version's files after transient I/O errors (a file still being written or copied, a
/// network share hiccup). A missing file or folder is not transient and fails at once.
/// </summary>
public static partial class LoadRetry
{
    public static ResiliencePipeline Create(ExecutionPolicy policy, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.LoadRetryAttempts == 0)
        {
            return ResiliencePipeline.Empty;
        }

        return new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = policy.LoadRetryAttempts,
                Delay = policy.LoadRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder().Handle<IOException>(IsTransient),
                OnRetry = args =>
                {
                    LogRetry(logger, args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds, args.Outcome.Exception?.Message ?? string.Empty);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    public static bool IsTransient(IOException error) => error is not (FileNotFoundException or DirectoryNotFoundException);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Warning, Message = "Model load: transient file error, retry {Attempt} in {Milliseconds:F0} ms: {Reason}")]
    private static partial void LogRetry(ILogger logger, int attempt, double milliseconds, string reason);
}

using System.Globalization;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Tensors;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace InferenceService.Runtime.Resilience;

/// <summary>
/// Polly around one model version's runner: a circuit breaker that counts engine failures (Backend) and execution
/// timeouts, outside a timeout on the whole execution (<see cref="ExecutionDeadline"/>). An open breaker answers 503 with Retry-After at once; after
/// the break one request is let through (half-open) and its success closes the breaker again.
/// Client mistakes, full queues and cancellations never count against the model.
/// </summary>
internal sealed partial class ResilientRunner : IModelRunner, IModelStatistics, IAdmissionCheck
{
    private readonly IModelRunner _inner;
    private readonly string _model;
    private readonly ExecutionPolicy _policy;
    private readonly ResiliencePipeline _pipeline;
    private readonly ILogger _logger;
    private readonly CircuitBreakerStateProvider _circuit = new();
    private readonly TimeProvider _timeProvider;

    // When the open breaker will let a trial through: Polly moves to half-open only when a request reaches it, so
    // admission must stop refusing by then.
    private long _openUntil;

    public ResilientRunner(IModelRunner inner, string model, ExecutionPolicy policy, TimeProvider timeProvider, ILogger logger)
    {
        _inner = inner;
        _model = model;
        _policy = policy;
        _logger = logger;
        _timeProvider = timeProvider;
        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider };
        if (policy.CircuitBreakerEnabled)
        {
            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = policy.FailureRatio,
                MinimumThroughput = policy.MinimumThroughput,
                SamplingDuration = policy.SamplingDuration,
                BreakDuration = policy.BreakDuration,
                StateProvider = _circuit,
                ShouldHandle = new PredicateBuilder()
                    .Handle<InferenceException>(e => e.Kind == InferenceErrorKind.Backend && !e.CausedByRequest)
                    .Handle<TimeoutRejectedException>(),
                OnOpened = args =>
                {
                    Volatile.Write(ref _openUntil, timeProvider.GetTimestamp() + (long)(args.BreakDuration.TotalSeconds * timeProvider.TimestampFrequency));
                    LogOpened(model, args.BreakDuration.TotalSeconds, args.Outcome.Exception?.Message ?? "failures");
                    return ValueTask.CompletedTask;
                },
                OnHalfOpened = _ =>
                {
                    LogHalfOpened(model);
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    LogClosed(model);
                    return ValueTask.CompletedTask;
                },
            });
        }

        // The execution timeout is not a Polly strategy: ExecutionDeadline arms a timer only for a call still pending.
        _pipeline = builder.Build();
    }

    public async Task<IReadOnlyList<Tensor>> InferAsync(InferenceRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await _pipeline.ExecuteAsync(
                static (state, token) => new ValueTask<IReadOnlyList<Tensor>>(state.self.RunAsync(state.request, token)),
                (self: this, request),
                cancellationToken).ConfigureAwait(false);
        }
        catch (BrokenCircuitException e)
        {
            var retry = (int)Math.Ceiling((e.RetryAfter ?? _policy.BreakDuration).TotalSeconds);
            throw new InferenceException(InferenceErrorKind.Unavailable, $"Model '{_model}' keeps failing: its circuit breaker is open; retry in {retry.ToString(CultureInfo.InvariantCulture)} s.", e)
            {
                RetryAfterSeconds = Math.Max(1, retry),
            };
        }
        catch (TimeoutRejectedException e)
        {
            throw new InferenceException(InferenceErrorKind.Timeout, $"Model '{_model}': the request exceeded the execution timeout of {e.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.", e);
        }
    }

    /// <summary>The inner call within the execution timeout, inside the breaker, so that a timeout counts against the model.</summary>
    private Task<IReadOnlyList<Tensor>> RunAsync(InferenceRequest request, CancellationToken cancellationToken) =>
        _policy.ExecutionTimeout is { } timeout
            ? ExecutionDeadline.RunAsync(static (s, token) => s.inner.InferAsync(s.request, token), (inner: _inner, request), timeout, _timeProvider, cancellationToken)
            : _inner.InferAsync(request, cancellationToken);

    public ModelStatisticsSnapshot GetStatistics() => ((IModelStatistics)_inner).GetStatistics();

    public int QueueDepth => ((IModelStatistics)_inner).QueueDepth;

    /// <summary>An open breaker refuses before the request is read; otherwise the inner runner decides.</summary>
    public InferenceException? CheckAdmission(TimeSpan? timeout, int admitted) => _circuit.CircuitState == CircuitState.Open && _timeProvider.GetTimestamp() < Volatile.Read(ref _openUntil)
        ? new InferenceException(InferenceErrorKind.Unavailable, $"Model '{_model}' keeps failing: its circuit breaker is open; retry later.")
        {
            RetryAfterSeconds = Math.Max(1, (int)Math.Ceiling(_policy.BreakDuration.TotalSeconds)),
        }
        : (_inner as IAdmissionCheck)?.CheckAdmission(timeout, admitted);

    public ValueTask DisposeAsync() => _inner.DisposeAsync();

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Model '{Model}': circuit breaker opened for {Seconds} s after repeated failures (last: {Reason})")]
    private partial void LogOpened(string model, double seconds, string reason);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Model '{Model}': circuit breaker half-open, letting a trial request through")]
    private partial void LogHalfOpened(string model);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Model '{Model}': circuit breaker closed, the model answers again")]
    private partial void LogClosed(string model);
}

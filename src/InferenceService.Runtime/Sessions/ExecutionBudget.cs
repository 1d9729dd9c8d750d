namespace InferenceService.Runtime.Sessions;

/// <summary>
/// A process-wide budget of CPU "core tokens" shared by every model's runs (Triton's rate limiter, resource "cores"):
/// a run holds as many tokens as it has intra-op threads, and waits while the budget cannot cover it, so that runs of
/// different models do not oversubscribe the cores. Waiting runs are granted in the order of stride scheduling over
/// their priority (Triton's <c>rate_limiter.priority</c>: a run of priority 2 gets half the grants of priority 1), first
/// come first served within a priority; the chosen run is never bypassed by a smaller one, so no run starves, however
/// busy the others are.
/// </summary>
public sealed class ExecutionBudget
{
    private readonly Lock _gate = new();
    private readonly List<Waiter> _waiting = [];

    // Stride scheduling: each priority's pass advances by its priority per grant; the lowest pass goes next.
    private readonly Dictionary<int, long> _pass = [];
    private long _lastGrantPass;
    private long _arrivals;
    private int _free;

    public ExecutionBudget(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _free = capacity;
    }

    public int Capacity { get; }

    /// <summary>Tokens held by running work now.</summary>
    public int InUse
    {
        get
        {
            lock (_gate)
            {
                return Capacity - _free;
            }
        }
    }

    /// <summary>Runs waiting for tokens now.</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>
    /// Waits until <paramref name="tokens"/> (capped at <see cref="Capacity"/>) are free and this run's turn has come;
    /// dispose the lease to give them back. Cancelling the wait withdraws the request (nothing is held).
    /// </summary>
    public ValueTask<Lease> AcquireAsync(int tokens, int priority, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tokens, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(priority, 1);
        cancellationToken.ThrowIfCancellationRequested();
        tokens = Math.Min(tokens, Capacity);
        Waiter waiter;
        lock (_gate)
        {
            if (_waiting.Count == 0 && _free >= tokens)
            {
                _free -= tokens;
                Charge(priority);
                return ValueTask.FromResult(new Lease(this, tokens));
            }

            waiter = new Waiter(tokens, priority, _arrivals++);
            _waiting.Add(waiter);
        }

        if (cancellationToken.CanBeCanceled)
        {
            waiter.Registration = cancellationToken.UnsafeRegister(static state =>
            {
                var (budget, w) = ((ExecutionBudget, Waiter))state!;
                budget.Withdraw(w);
            }, (this, waiter));
            if (waiter.Granted.Task.IsCompleted)
            {
                waiter.Registration.Unregister(); // granted before the registration existed
            }
        }

        return new ValueTask<Lease>(waiter.Granted.Task);
    }

    private void Withdraw(Waiter waiter)
    {
        lock (_gate)
        {
            if (!_waiting.Remove(waiter))
            {
                return; // granted meanwhile: the lease's owner gives the tokens back
            }

            GrantWaiting(); // the withdrawn run may have been the one the others were queued behind
        }

        waiter.Granted.TrySetCanceled();
    }

    private void Release(int tokens)
    {
        lock (_gate)
        {
            _free += tokens;
            GrantWaiting();
        }
    }

    // Under _gate: grant the next runs in turn while the budget covers them; stop at the first that does not fit.
    private void GrantWaiting()
    {
        while (_waiting.Count > 0)
        {
            var next = Next();
            if (next.Tokens > _free)
            {
                return;
            }

            _waiting.Remove(next);
            _free -= next.Tokens;
            Charge(next.Priority);

            // Unregister, not Dispose: Dispose would wait for a cancellation callback that is itself waiting for _gate.
            next.Registration.Unregister();
            next.Granted.TrySetResult(new Lease(this, next.Tokens));
        }
    }

    private Waiter Next()
    {
        var best = _waiting[0];
        foreach (var waiter in _waiting)
        {
            var pass = Pass(waiter.Priority);
            var bestPass = Pass(best.Priority);
            if (pass < bestPass || (pass == bestPass && waiter.Arrival < best.Arrival))
            {
                best = waiter;
            }
        }

        return best;
    }

    // A priority's pass never lags the pass of the last grant, so a priority that has not run for a while does not
    // take every grant until it has caught up.
    private long Pass(int priority) => Math.Max(_pass.GetValueOrDefault(priority), _lastGrantPass);

    private void Charge(int priority)
    {
        _lastGrantPass = Pass(priority);
        _pass[priority] = _lastGrantPass + priority;
    }

    /// <summary>Tokens held by one run; disposing gives them back once.</summary>
    public sealed class Lease : IDisposable
    {
        private ExecutionBudget? _budget;

        internal Lease(ExecutionBudget budget, int tokens)
        {
            _budget = budget;
            Tokens = tokens;
        }

        public int Tokens { get; }

        public void Dispose() => Interlocked.Exchange(ref _budget, null)?.Release(Tokens);
    }

    private sealed class Waiter(int tokens, int priority, long arrival)
    {
        public int Tokens { get; } = tokens;

        public int Priority { get; } = priority;

        public long Arrival { get; } = arrival;

        public TaskCompletionSource<Lease> Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenRegistration Registration { get; set; }
    }
}

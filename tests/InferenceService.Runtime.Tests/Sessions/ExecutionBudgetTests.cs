using InferenceService.Runtime.Sessions;

namespace InferenceService.Runtime.Tests.Sessions;

public sealed class ExecutionBudgetTests
{
    [Fact]
    public async Task AcquireAsync_ManyRunsOfMixedSizes_NeverHoldMoreThanTheCapacity()
    {
        var budget = new ExecutionBudget(3);
        var held = 0;
        var most = 0;
        var random = new Random(7);
        var runs = Enumerable.Range(0, 400).Select(i => (Tokens: random.Next(1, 4), Priority: random.Next(1, 4))).ToList();

        await Task.WhenAll(runs.Select(async run =>
        {
            await Task.Yield();
            using var lease = await budget.AcquireAsync(run.Tokens, run.Priority, default);
            var now = Interlocked.Add(ref held, lease.Tokens);
            InterlockedMax(ref most, now);
            await Task.Yield(); // a fake executor: others get to run meanwhile
            Interlocked.Add(ref held, -lease.Tokens);
        }));

        Assert.InRange(most, 2, 3);
        Assert.Equal(0, budget.InUse);
        Assert.Equal(0, budget.Waiting);
    }

    [Fact]
    public async Task AcquireAsync_MoreTokensThanTheCapacity_IsCappedAtTheCapacity()
    {
        var budget = new ExecutionBudget(2);

        using var lease = await budget.AcquireAsync(8, 1, default);

        Assert.Equal(2, lease.Tokens);
        Assert.Equal(2, budget.InUse);
    }

    [Fact]
    public async Task AcquireAsync_SamePriority_FirstComeFirstServed()
    {
        var budget = new ExecutionBudget(2);
        var holder = await budget.AcquireAsync(2, 1, default);
        var order = new List<int>();
        var waits = Enumerable.Range(0, 5).Select(i => GrantedInOrder(budget.AcquireAsync(2, 1, default), order, i)).ToList();

        holder.Dispose();
        await Task.WhenAll(waits);

        Assert.Equal([0, 1, 2, 3, 4], order);
    }

    [Fact]
    public async Task AcquireAsync_BothPrioritiesAlwaysWaiting_Priority1GetsTwiceTheGrantsOfPriority2()
    {
        // Triton's rate limiter: "an instance with priority 2 will be given 1/2 the number of scheduling chances".
        var budget = new ExecutionBudget(1);
        var holder = await budget.AcquireAsync(1, 1, default);
        var order = new List<int>();
        var waits = new List<Task>();
        for (var i = 0; i < 30; i++)
        {
            waits.Add(GrantedInOrder(budget.AcquireAsync(1, 2, default), order, 2));
            waits.Add(GrantedInOrder(budget.AcquireAsync(1, 1, default), order, 1));
        }

        holder.Dispose();
        await Task.WhenAll(waits);

        // In the first 30 grants both always had runs waiting: 20 to priority 1, 10 to priority 2 (one either way: the
        // holder's own grant counts for priority 1).
        Assert.InRange(order.Take(30).Count(p => p == 1), 19, 21);
    }

    [Fact]
    public async Task AcquireAsync_AStreamOfSmallHighPriorityRuns_DoesNotStarveALargeLowPriorityOne()
    {
        // The saturating model: one run that needs every token, at priority 4, behind a stream of one-token priority-1
        // runs that would always fit beside each other.
        var budget = new ExecutionBudget(2);
        var running = new List<ExecutionBudget.Lease> { await budget.AcquireAsync(1, 1, default), await budget.AcquireAsync(1, 1, default) };
        var large = budget.AcquireAsync(2, 4, default).AsTask();
        var pending = new List<Task<ExecutionBudget.Lease>>();
        var smallGrants = 0;
        for (var step = 0; step < 40 && !large.IsCompleted; step++)
        {
            // Each step a small run arrives and the oldest running one ends; a grant completes its task at once.
            pending.Add(budget.AcquireAsync(1, 1, default).AsTask());
            if (running.Count > 0)
            {
                running[0].Dispose();
                running.RemoveAt(0);
            }

            foreach (var granted in pending.Where(t => t.IsCompletedSuccessfully).ToList())
            {
                pending.Remove(granted);
                running.Add(await granted);
                smallGrants++;
            }
        }

        Assert.True(large.IsCompleted, "the large run never got its tokens");
        Assert.InRange(smallGrants, 0, 8);
    }

    [Fact]
    public async Task Lease_RunThatThrows_GivesItsTokensBackAndTheNextRunGoes()
    {
        var budget = new ExecutionBudget(2);
        var failing = RunAsync(budget, () => throw new InvalidOperationException("the model failed"));
        var next = budget.AcquireAsync(2, 1, default);

        await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        using var lease = await next;

        Assert.Equal(2, budget.InUse);
        lease.Dispose();
        lease.Dispose(); // twice gives back once
        Assert.Equal(0, budget.InUse);
    }

    [Fact]
    public async Task AcquireAsync_WaitCancelled_WithdrawsAndTheRunBehindItGoes()
    {
        var budget = new ExecutionBudget(2);
        var holder = await budget.AcquireAsync(1, 1, default);
        using var cancel = new CancellationTokenSource();
        var blocked = budget.AcquireAsync(2, 1, cancel.Token).AsTask(); // first in line, needs both tokens
        var behind = budget.AcquireAsync(1, 1, default).AsTask();       // would fit now, but may not pass the first
        Assert.False(behind.IsCompleted);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => blocked);
        using var lease = await behind;
        Assert.Equal(2, budget.InUse);
        Assert.Equal(0, budget.Waiting);
        holder.Dispose();
        Assert.Equal(1, budget.InUse);
    }

    [Fact]
    public async Task AcquireAsync_CancellationsRacingGrants_NeitherDeadlockNorLeakTokens()
    {
        var budget = new ExecutionBudget(2);
        var random = new Random(11);
        var runs = Enumerable.Range(0, 300).Select(_ => (Tokens: random.Next(1, 3), CancelAfterYields: random.Next(0, 3))).ToList();

        await Task.WhenAll(runs.Select(async run =>
        {
            using var cancel = new CancellationTokenSource();
            var acquire = budget.AcquireAsync(run.Tokens, 1, cancel.Token).AsTask();
            for (var i = 0; i < run.CancelAfterYields; i++)
            {
                await Task.Yield();
            }

            await cancel.CancelAsync(); // races the grant: either the wait is withdrawn or the lease is ours to give back
            try
            {
                using var lease = await acquire;
                await Task.Yield();
            }
            catch (OperationCanceledException)
            {
            }
        })).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, budget.InUse);
        Assert.Equal(0, budget.Waiting);
    }

    [Fact]
    public async Task AcquireAsync_AlreadyCancelled_HoldsNothing()
    {
        var budget = new ExecutionBudget(2);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await budget.AcquireAsync(1, 1, new CancellationToken(canceled: true)));

        Assert.Equal(0, budget.InUse);
        Assert.Equal(0, budget.Waiting);
    }

    private static async Task RunAsync(ExecutionBudget budget, Action work)
    {
        using var lease = await budget.AcquireAsync(2, 1, default);
        await Task.Yield();
        work();
    }

    private static async Task GrantedInOrder(ValueTask<ExecutionBudget.Lease> acquire, List<int> order, int tag)
    {
        var lease = await acquire;
        lock (order)
        {
            order.Add(tag);
        }

        // Give the tokens back at once, as a run that ends: the next grant happens under this release.
        lease.Dispose();
    }

    private static void InterlockedMax(ref int location, int value)
    {
        var current = Volatile.Read(ref location);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref location, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}

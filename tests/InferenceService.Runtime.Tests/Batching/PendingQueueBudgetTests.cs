using InferenceService.Runtime.Batching;

namespace InferenceService.Runtime.Tests.Batching;

/// <summary><see cref="PendingQueue.PeekWithinBudget"/>: the head always goes; the rest keeps rows × padded length within the budget and padding low.</summary>
public sealed class PendingQueueBudgetTests
{
    private static readonly IReadOnlySet<int> NoPreferred = new HashSet<int>();

    [Fact]
    public void PeekWithinBudget_MixedLengths_TakesHeadThenNoLongerOnesLongestFirstThenLongerOnesShortestFirst()
    {
        var queue = new PendingQueue(1);
        var head = Add(queue, length: 6, at: 0);
        var three = Add(queue, length: 3, at: 1);
        var nine = Add(queue, length: 9, at: 2);
        var five = Add(queue, length: 5, at: 3);
        var seven = Add(queue, length: 7, at: 4);

        var candidate = queue.PeekWithinBudget(cap: 8, budget: 100, NoPreferred);

        Assert.NotNull(candidate);
        Assert.Equal([head, five, three, seven, nine], candidate.Members);
        Assert.Equal(5, candidate.Items);
        Assert.False(candidate.Full);
    }

    [Fact]
    public void PeekWithinBudget_LongerRequestDoesNotFit_PassesOverItAndTakesAShorterOneBehindIt()
    {
        var queue = new PendingQueue(1);
        var head = Add(queue, length: 8, at: 0);
        _ = Add(queue, length: 20, at: 1);
        var shortOne = Add(queue, length: 4, at: 2);

        // head + 20 would cost 2 × 20 = 40 > 32; head + 4 costs 2 × 8 = 16.
        var candidate = queue.PeekWithinBudget(cap: 8, budget: 32, NoPreferred);

        Assert.NotNull(candidate);
        Assert.Equal([head, shortOne], candidate.Members);
        Assert.True(candidate.Full);
    }

    [Fact]
    public void PeekWithinBudget_HeadLongerThanTheRest_StillGoesFirstAlone()
    {
        var queue = new PendingQueue(1);
        var head = Add(queue, length: 20, at: 0);
        for (var i = 1; i <= 4; i++)
        {
            _ = Add(queue, length: 8, at: i);
        }

        // The four 8s alone would make a fuller batch (4 × 8 = 32), but the oldest goes first: 2 × 20 = 40 > 32.
        var candidate = queue.PeekWithinBudget(cap: 8, budget: 32, NoPreferred);

        Assert.NotNull(candidate);
        Assert.Equal([head], candidate.Members);
        Assert.True(candidate.Full);
    }

    [Fact]
    public void PeekWithinBudget_HigherLevelRequestPassedOver_TakesNothingFromLowerLevel()
    {
        var queue = new PendingQueue(2);
        var head = Add(queue, length: 4, at: 1, level: 0);
        _ = Add(queue, length: 30, at: 2, level: 0);
        _ = Add(queue, length: 4, at: 0, level: 1);

        var candidate = queue.PeekWithinBudget(cap: 8, budget: 32, NoPreferred);

        Assert.NotNull(candidate);
        Assert.Equal([head], candidate.Members);
    }

    [Fact]
    public void PeekWithinBudget_NothingLeftBehind_FillsFromLowerLevelAfterTheHigherOne()
    {
        var queue = new PendingQueue(2);
        var low = Add(queue, length: 6, at: 0, level: 1);
        var head = Add(queue, length: 4, at: 1, level: 0);
        var high = Add(queue, length: 2, at: 2, level: 0);

        var candidate = queue.PeekWithinBudget(cap: 8, budget: 32, NoPreferred);

        Assert.NotNull(candidate);
        Assert.Equal([head, high, low], candidate.Members);
        Assert.Equal(0, candidate.OldestEnqueuedAt);
    }

    [Fact]
    public void PeekWithinBudget_OneMoreRowCannotFit_IsFull()
    {
        var queue = new PendingQueue(1);
        _ = Add(queue, length: 10, at: 0, rows: 3);

        // 3 × 10 = 30; a fourth row of 10 would cost 40 > 32.
        var candidate = queue.PeekWithinBudget(cap: 8, budget: 32, NoPreferred);

        Assert.NotNull(candidate);
        Assert.True(candidate.Full);
    }

    [Fact]
    public void PeekWithinBudget_PreferredSize_CountsLeadingMembersInChosenOrder()
    {
        var queue = new PendingQueue(1);
        var head = Add(queue, length: 6, at: 0);
        _ = Add(queue, length: 2, at: 1);
        var five = Add(queue, length: 5, at: 2);

        var candidate = queue.PeekWithinBudget(cap: 8, budget: 100, new HashSet<int> { 2 });

        Assert.NotNull(candidate);
        Assert.Equal(2, candidate.PreferredCount);
        Assert.Equal([head, five], candidate.Members.Take(2));
    }

    [Fact]
    public void PeekWithinBudget_SeededRandomQueues_EveryLeadingPartIsWithinBudgetAndCap()
    {
        var random = new Random(20251127);
        for (var round = 0; round < 200; round++)
        {
            var queue = new PendingQueue(2);
            var count = random.Next(1, 40);
            for (var i = 0; i < count; i++)
            {
                var key = random.Next(3) == 0 ? "b" : "a";
                _ = Add(queue, length: random.Next(1, 65), at: i, rows: random.Next(1, 4), level: random.Next(2), key: key);
            }

            var candidate = queue.PeekWithinBudget(cap: 16, budget: 256, NoPreferred);

            Assert.NotNull(candidate);
            long rows = 0, longest = 0;
            foreach (var member in candidate.Members)
            {
                rows += member.Shape.Rows;
                longest = Math.Max(longest, member.Shape.Length);
                Assert.True(rows * longest <= 256, $"round {round}: {rows} rows × {longest} > 256");
                Assert.True(rows <= 16 || candidate.Members.Count == 1, $"round {round}: {rows} rows > cap 16");
            }

            Assert.Equal(rows, candidate.Items);
            Assert.Single(candidate.Members.Select(m => m.Shape.Key).Distinct());
        }
    }

    private static QueuedRequest Add(PendingQueue queue, long length, long at, int rows = 1, int level = 0, string key = "a")
    {
        var request = new QueuedRequest(TextModel.Request(at, (int)length, rows), new RequestShape(key, rows, length, TextModel.Outputs), level, at);
        queue.Add(request);
        return request;
    }
}

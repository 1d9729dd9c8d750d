using InferenceService.Runtime.Batching;

namespace InferenceService.Runtime.Tests.Batching;

public sealed class PendingQueueTests
{
    private static readonly IReadOnlySet<int> NoPreferred = new HashSet<int>();

    [Fact]
    public void Peek_PreferredSizesReached_MarksTheLargestOne()
    {
        var queue = new PendingQueue(1);
        var requests = Enumerable.Range(0, 5).Select(i => Queued("a", rows: 1, level: 0, at: i)).ToList();
        requests.ForEach(queue.Add);

        var candidate = queue.Peek(cap: 8, new HashSet<int> { 2, 4 });

        Assert.NotNull(candidate);
        Assert.Equal(5, candidate.Items);
        Assert.Equal(4, candidate.PreferredCount);
        Assert.False(candidate.Full);
    }

    [Fact]
    public void Peek_NextRequestDoesNotFit_StopsThereAndIsFull()
    {
        var queue = new PendingQueue(1);
        queue.Add(Queued("a", rows: 3, level: 0, at: 0));
        queue.Add(Queued("a", rows: 3, level: 0, at: 1));
        queue.Add(Queued("a", rows: 1, level: 0, at: 2));

        var candidate = queue.Peek(cap: 4, NoPreferred);

        Assert.NotNull(candidate);
        Assert.Equal(3, candidate.Items);
        Assert.True(candidate.Full);
    }

    [Fact]
    public void Peek_HeadLargerThanCap_TakesItAlone()
    {
        var queue = new PendingQueue(1);
        queue.Add(Queued("a", rows: 6, level: 0, at: 0));
        queue.Add(Queued("a", rows: 1, level: 0, at: 1));

        var candidate = queue.Peek(cap: 4, NoPreferred);

        Assert.NotNull(candidate);
        Assert.Single(candidate.Members);
        Assert.True(candidate.Full);
    }

    [Fact]
    public void Peek_OtherShapeSkippedInHigherLevel_TakesNothingFromLowerLevel()
    {
        var queue = new PendingQueue(2);
        var head = Queued("short", rows: 1, level: 0, at: 2);
        var sameLevelOtherShape = Queued("long", rows: 1, level: 0, at: 3);
        var sameLevelSameShape = Queued("short", rows: 1, level: 0, at: 4);
        var lowerLevelSameShape = Queued("short", rows: 1, level: 1, at: 0);
        queue.Add(head);
        queue.Add(sameLevelOtherShape);
        queue.Add(sameLevelSameShape);
        queue.Add(lowerLevelSameShape);

        var candidate = queue.Peek(cap: 8, NoPreferred);

        Assert.NotNull(candidate);
        Assert.Equal([head, sameLevelSameShape], candidate.Members);
        Assert.Equal(2, candidate.OldestEnqueuedAt);
    }

    [Fact]
    public void Peek_NoSkip_TakesLowerLevelAndMeasuresDelayFromTheOldestMember()
    {
        var queue = new PendingQueue(2);
        var head = Queued("a", rows: 1, level: 0, at: 5);
        var older = Queued("a", rows: 1, level: 1, at: 1);
        queue.Add(older);
        queue.Add(head);

        var candidate = queue.Peek(cap: 8, NoPreferred);

        Assert.NotNull(candidate);
        Assert.Equal([head, older], candidate.Members);
        Assert.Equal(1, candidate.OldestEnqueuedAt);
    }

    [Fact]
    public void Peek_HeadLeftByTimeout_IsUnlinkedAndSkipped()
    {
        var queue = new PendingQueue(1);
        var expired = Queued("a", rows: 1, level: 0, at: 0);
        var next = Queued("a", rows: 1, level: 0, at: 1);
        queue.Add(expired);
        queue.Add(next);
        Assert.True(expired.TryLeaveQueue());

        var candidate = queue.Peek(cap: 8, NoPreferred);

        Assert.NotNull(candidate);
        Assert.Equal([next], candidate.Members);
        Assert.Null(expired.Node);
    }

    private static QueuedRequest Queued(string key, int rows, int level, long at) =>
        new(TextModel.Request(1, 4, rows), new RequestShape(key, rows, 4, TextModel.Outputs), level, at);
}

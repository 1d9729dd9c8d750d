using InferenceService.Runtime.Batching;
using InferenceService.Runtime.Inference;

namespace InferenceService.Runtime.Tests.Batching;

/// <summary>
/// Requests submitted together (a text request's texts): on an idle batcher none runs inline on the caller, so they can
/// share batches; the loop is woken once, when the group closes; a member that arrives after the close is any request.
/// </summary>
public sealed class SubmissionGroupTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task InferAsync_GroupMembersOnIdleBatcher_NoneRunsInlineAndTheyLeaveAsOneBatch()
    {
        using var executor = new FakeTextExecutor();
        await using var batcher = TextModel.Batcher(executor, TimeProvider.System, new DynamicBatchingConfig());
        var watcher = new LoopWatcher(batcher);

        // With reads paused only an inline run could reach the executor before the group closes.
        watcher.PauseReads();
        var requests = Enumerable.Range(1, 3).Select(i => TextModel.Request(i, 4)).ToList();
        var answers = new List<Task<IReadOnlyList<Runtime.Tensors.Tensor>>>();
        using (var group = new SubmissionGroup())
        {
            answers.AddRange(requests.Select(r => batcher.InferAsync(r with { Group = group }, default)));
            Assert.Empty(executor.Calls);
            Assert.All(answers, a => Assert.False(a.IsCompleted));
        }

        watcher.ResumeReads();
        var results = await Task.WhenAll(answers).WaitAsync(Bound);

        Assert.Equal([3L], executor.Calls.Select(c => c.Rows));
        for (var i = 0; i < requests.Count; i++)
        {
            TensorAssert.Equal(TextModel.Unbatched(requests[i]), results[i]);
        }
    }

    [Fact]
    public async Task InferAsync_MemberOfAClosedGroup_RunsInlineAsAnyRequest()
    {
        using var executor = new FakeTextExecutor();
        await using var batcher = TextModel.Batcher(executor, TimeProvider.System, new DynamicBatchingConfig());
        var group = new SubmissionGroup();
        group.Dispose();

        var answer = batcher.InferAsync(TextModel.Request(1, 4) with { Group = group }, default);

        // The inline run records its call on the caller's thread, before InferAsync returns.
        Assert.Single(executor.Calls);
        await answer.WaitAsync(Bound);
    }

    [Fact]
    public void Dispose_AfterDefers_RunsEachDistinctWakeOnceAndRefusesLaterDefers()
    {
        var first = 0;
        var second = 0;
        Action wakeFirst = () => first++;
        Action wakeSecond = () => second++;
        var group = new SubmissionGroup();

        Assert.True(group.TryDefer(wakeFirst));
        Assert.True(group.TryDefer(wakeFirst));
        Assert.True(group.TryDefer(wakeSecond));
        Assert.Equal((0, 0), (first, second));
        group.Dispose();
        group.Dispose();

        Assert.Equal((1, 1), (first, second));
        Assert.False(group.IsOpen);
        Assert.False(group.TryDefer(wakeFirst));
        Assert.Equal(1, first);
    }
}

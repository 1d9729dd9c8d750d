using InferenceService.Runtime.Batching;
using Microsoft.Extensions.Time.Testing;

namespace InferenceService.Runtime.Tests.Batching;

/// <summary>Triton's static dispatch rules, asked directly: preferred size, full batch, and the delay from the oldest member.</summary>
public sealed class QueueDelayPolicyTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Decide_PreferredSizeReachedWithinDelay_TakesThePreferredCount()
    {
        var policy = Policy(delayMicroseconds: 1000, preferredSizes: [2, 4]);

        var decision = policy.Decide(Candidate(members: 5, preferredCount: 4, full: false), Microseconds(100));

        Assert.Equal(DispatchDecision.Dispatch(4), decision);
    }

    [Fact]
    public void Decide_DelayOver_TakesEveryMember()
    {
        var policy = Policy(delayMicroseconds: 1000, preferredSizes: [2, 4]);

        var decision = policy.Decide(Candidate(members: 5, preferredCount: 4, full: false), Microseconds(1000));

        Assert.Equal(DispatchDecision.Dispatch(5), decision);
    }

    [Fact]
    public void Decide_FullWithinDelay_TakesEveryMember()
    {
        var policy = Policy(delayMicroseconds: 1000, preferredSizes: []);

        var decision = policy.Decide(Candidate(members: 3, preferredCount: 0, full: true), Microseconds(100));

        Assert.Equal(DispatchDecision.Dispatch(3), decision);
    }

    [Fact]
    public void Decide_DelayNotOver_SleepsUntilTheOldestMemberHasWaitedIt()
    {
        var policy = Policy(delayMicroseconds: 1000, preferredSizes: []);

        var decision = policy.Decide(Candidate(members: 2, preferredCount: 0, full: false), Microseconds(400));

        Assert.Equal(DispatchDecision.Wait(TimeSpan.FromMicroseconds(600)), decision);
    }

    [Fact]
    public void Decide_ZeroDelay_TakesWhateverIsQueued()
    {
        var policy = Policy(delayMicroseconds: 0, preferredSizes: [4]);

        var decision = policy.Decide(Candidate(members: 1, preferredCount: 0, full: false), 0);

        Assert.Equal(DispatchDecision.Dispatch(1), decision);
    }

    private QueueDelayPolicy Policy(long delayMicroseconds, IReadOnlyList<int> preferredSizes)
    {
        var config = TextModel.Config(new DynamicBatchingConfig { MaxQueueDelayMicroseconds = delayMicroseconds, PreferredBatchSizes = preferredSizes });
        return new QueueDelayPolicy(new BatchingModel("text", config, _time), _time);
    }

    // Every member arrived at timestamp 0, so the oldest has waited `now`.
    private static BatchCandidate Candidate(int members, int preferredCount, bool full)
    {
        var queued = Enumerable.Range(0, members).Select(_ => new QueuedRequest(TextModel.Request(1, 4), new RequestShape("a", 1, 4, TextModel.Outputs), 0, 0)).ToList();
        return new BatchCandidate(queued, members, preferredCount, full, OldestEnqueuedAt: 0);
    }

    private long Microseconds(long us) => us * _time.TimestampFrequency / 1_000_000;
}

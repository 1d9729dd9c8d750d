using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Sessions;
using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Tests.Sessions;

/// <summary>Session pools sharing an <see cref="ExecutionBudget"/>: a run holds core tokens while it computes, and only then.</summary>
public sealed class SessionPoolBudgetTests : IDisposable
{
    private readonly ModelFolder _folder = new(TinyGraphs.AddOne());

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task ExecuteAsync_AnotherModelHoldsTheCores_WaitsAndThenAnswers()
    {
        var budget = new ExecutionBudget(2);
        using var pool = _folder.Open(TinyConfigs.AddOne(), budget);
        var other = await budget.AcquireAsync(2, 1, default); // the other model's run

        var run = pool.ExecuteAsync([X()], ["y"], default);
        Assert.False(run.IsCompleted);
        Assert.Equal(1, budget.Waiting);
        other.Dispose();

        var outputs = await run;
        Assert.Equal([2f, 3f, 4f, 5f], outputs[0].As<float>());
        Assert.Equal(0, budget.InUse);
    }

    [Fact]
    public async Task ExecuteAsync_RunTheGraphRefuses_GivesTheCoresBack()
    {
        var budget = new ExecutionBudget(2);
        using var pool = _folder.Open(TinyConfigs.AddOne(), budget);
        var wrongShape = new Tensor("x", TensorDataType.Fp32, [1, 3], new[] { 1f, 2f, 3f });

        var error = await Assert.ThrowsAsync<InferenceException>(() => pool.ExecuteAsync([wrongShape], ["y"], default));

        Assert.Equal(InferenceErrorKind.BadRequest, error.Kind);
        Assert.Equal(0, budget.InUse);
        using var next = await budget.AcquireAsync(2, 1, default);
        Assert.Equal(2, next.Tokens);
    }

    [Fact]
    public async Task ExecuteAsync_CancelledWhileWaitingForCores_HoldsNothingAndFreesTheInstance()
    {
        var budget = new ExecutionBudget(2);
        using var pool = _folder.Open(TinyConfigs.AddOne(), budget);
        var other = await budget.AcquireAsync(2, 1, default);
        using var cancel = new CancellationTokenSource();

        var run = pool.ExecuteAsync([X()], ["y"], cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Equal(0, budget.Waiting);
        other.Dispose();
        Assert.Equal(0, budget.InUse);
        var outputs = await pool.ExecuteAsync([X()], ["y"], default); // the one instance is free again
        Assert.Equal([2f, 3f, 4f, 5f], outputs[0].As<float>());
    }

    private static Tensor X() => new("x", TensorDataType.Fp32, [1, 4], new[] { 1f, 2f, 3f, 4f });
}

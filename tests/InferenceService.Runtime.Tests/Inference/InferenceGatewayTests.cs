using InferenceService.Runtime.Batching;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Repository;
using InferenceService.Runtime.Tensors;
using InferenceService.Runtime.Tests.Pipelines;

namespace InferenceService.Runtime.Tests.Inference;

/// <summary>The one request path: admission refuses before any body is read; submit validates and runs, with the request's parameters.</summary>
public sealed class InferenceGatewayTests
{
    private static readonly ModelConfig Adder = new()
    {
        MaxBatchSize = 4,
        Inputs = [new TensorConfig { Name = "x", Datatype = "FP32", Dims = [2] }],
        Outputs = [new TensorConfig { Name = "y", Datatype = "FP32", Dims = [2] }],
        DynamicBatching = new DynamicBatchingConfig { PriorityLevels = 3, DefaultPriorityLevel = 2 },
    };

    private static readonly Tensor X = Tensor.Create("x", TensorDataType.Fp32, [1, 2], new[] { 1f, 2f });

    [Theory]
    [InlineData("nope", null, InferenceErrorKind.NotFound, "Unknown model 'nope'. Available models: adder.")]
    [InlineData("adder", "zero", InferenceErrorKind.BadRequest, "Version 'zero' is not a version number (an integer >= 1).")]
    [InlineData("adder", "7", InferenceErrorKind.NotFound, "Model 'adder' has no version 7 being served. Served versions: 1.")]
    public void Admit_CannotBeServed_RefusedAtOnce(string model, string? version, InferenceErrorKind kind, string message)
    {
        var (gateway, runner) = Serve();

        var error = Assert.Throws<InferenceException>(() => gateway.Admit(new AdmissionRequest(model, version)));

        Assert.Equal((kind, message), (error.Kind, error.Message));
        Assert.Empty(runner.Requests);
    }

    [Fact]
    public void Admit_Draining_UnavailableWithRetryAfter()
    {
        var (gateway, _) = Serve();
        gateway.Registry.BeginDrain();

        var error = Assert.Throws<InferenceException>(() => gateway.Admit(new AdmissionRequest("adder")));

        Assert.Equal(InferenceErrorKind.Unavailable, error.Kind);
        Assert.Equal(1, error.RetryAfterSeconds);
        Assert.Contains("shutting down", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1L, null, "parameters.priority must be an integer from 0 (the default level) to 3, got -1.")]
    [InlineData(4L, null, "parameters.priority must be an integer from 0 (the default level) to 3, got 4.")]
    [InlineData(null, -1L, "parameters.timeout must be an integer number of microseconds >= 0 (0 = the model's default), got -1.")]
    public void Admit_ParametersOutOfRange_BadRequestAndLeaseReleased(long? priority, long? timeout, string message)
    {
        var (gateway, _) = Serve();

        var error = Assert.Throws<InferenceException>(() => gateway.Admit(new AdmissionRequest("adder") { Parameters = new(priority, timeout) }));

        Assert.Equal((InferenceErrorKind.BadRequest, message), (error.Kind, error.Message));
        Assert.Equal(0, gateway.Registry.ActiveRequests);
    }

    [Fact]
    public void ActiveRequests_VersionUnloadedWhileLeased_StillCountedUntilTheRequestEnds()
    {
        // A drain waits on this count: a request on a version that a swap or unload took out of the registry is
        // still running, and the version is disposed only after it.
        var (gateway, _) = Serve();
        var ticket = gateway.Admit(new AdmissionRequest("adder"));
        var entry = gateway.Registry.Models["adder"];
        gateway.Registry.Publish(new ModelEntry("adder", entry.Directory, entry.Config, [], [], entry.Fingerprint, "unloaded"));
        ticket.Model.Retire("unloaded");

        var during = gateway.Registry.ActiveRequests;
        ticket.Dispose();

        Assert.Equal((1, 0), (during, gateway.Registry.ActiveRequests));
    }

    [Fact]
    public async Task Submit_BodyParameters_ReplaceAdmissionOnesAndReachTheRunner()
    {
        var (gateway, runner) = Serve();
        using (var ticket = gateway.Admit(new AdmissionRequest("adder") { Parameters = new(Priority: 1) }))
        {
            Assert.Equal(1, gateway.Registry.ActiveRequests);
            await gateway.SubmitAsync(ticket, new([X]) { Parameters = new(3, 5000) }, CancellationToken.None);
            await gateway.SubmitAsync(ticket, new([X], ["y"]), CancellationToken.None);
        }

        Assert.Equal(0, gateway.Registry.ActiveRequests);
        Assert.Equal([(3, TimeSpan.FromMilliseconds(5)), (1, (TimeSpan?)null)], runner.Requests.Select(r => (r.Priority, r.Timeout)));
        Assert.Equal([null, ["y"]], runner.Requests.Select(r => r.Outputs));
    }

    [Fact]
    public async Task Submit_ZeroParameters_MeanTheModelDefaults()
    {
        var (gateway, runner) = Serve();
        using var ticket = gateway.Admit(new AdmissionRequest("adder"));

        await gateway.SubmitAsync(ticket, new([X]) { Parameters = new(0, 0) }, CancellationToken.None);

        Assert.Equal((null, null), (runner.Requests[0].Priority, runner.Requests[0].Timeout));
    }

    [Fact]
    public async Task Submit_InputsDoNotFitTheModel_BadRequestBeforeTheRunner()
    {
        var (gateway, runner) = Serve();
        using var ticket = gateway.Admit(new AdmissionRequest("adder"));

        var error = await Assert.ThrowsAsync<InferenceException>(() => gateway.SubmitAsync(ticket, new([Tensor.Create("x", TensorDataType.Fp32, [1, 3], new float[3])]), CancellationToken.None));

        Assert.Equal(InferenceErrorKind.BadRequest, error.Kind);
        Assert.Contains("expected shape [batch,2]", error.Message, StringComparison.Ordinal);
        Assert.Empty(runner.Requests);
    }

    private static (InferenceGateway Gateway, RecordingRunner Runner) Serve() =>
        RecordingRunner.Serve("adder", Adder, r => [Tensor.Create("y", TensorDataType.Fp32, [1, 2], new[] { 2f, 3f })]);
}

using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using InferenceService.Runtime.Batching;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Repository;
using InferenceService.Runtime.Resilience;
using InferenceService.Runtime.Sessions;
using InferenceService.Runtime.Telemetry;
using InferenceService.Runtime.Tensors;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace InferenceService.Bench.Micro;

/// <summary>
/// The tiny-model path (issue 17) without HTTP: one recommender request through the served runner stack (request
/// metrics, breaker and execution timeout, the batcher's inline batch of one), with OpenTelemetry's SDK aggregating
/// the service's instruments as the host does. "fake engine" answers from memory, so what it measures is the stack's
/// own cost per request; "ONNX Runtime" runs the real model; the pieces are measured alone beside them.
/// </summary>
[MemoryDiagnoser]
public class TinyPathBenchmarks
{
    private const string Model = "recommender";

    private readonly InferenceRequest _request = new()
    {
        Inputs =
        [
            Tensor.Create("user_ids", TensorDataType.Int64, [1, 1], new[] { 1L }),
            Tensor.Create("item_ids", TensorDataType.Int64, [1, 1], new[] { 0L }),
        ],
        Outputs = ["user_scores"],
    };

    private MeterProvider _meterProvider = null!;
    private BenchMeterFactory _meterFactory = null!;
    private SessionPool _pool = null!;
    private SessionPool _onePool = null!;
    private OnnxRuntimeEnvironment _environment = null!;
    private IModelRunner _fakeStack = null!;
    private IModelRunner _fakeNoTimeout = null!;
    private IModelRunner _fakeNoBreaker = null!;
    private IModelRunner _fakeNoPolicy = null!;
    private IModelRunner _ortStack = null!;
    private IModelRunner _bareBatcher = null!;
    private BatchingModel _batchingModel = null!;
    private InferenceSession _session = null!;
    private RunOptions _runOptions = null!;
    private OrtValue[] _ortInputs = [];
    private ModelMetrics _metrics = null!;

    [GlobalSetup]
    public void Setup()
    {
        var dir = Path.Combine(RepoRoot.Models, Model);
        var config = ModelConfigLoader.Load(dir);
        _meterFactory = new BenchMeterFactory();
        _meterProvider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(InferenceTelemetry.MeterName)
            .AddReader(new BaseExportingMetricReader(new DiscardingExporter()))
            .Build();
        var meters = new InferenceMeters(_meterFactory, new ModelRegistry());
        _metrics = new ModelMetrics(meters, Model, 1, "cpu");
        var services = new ModelRunnerServices(ExecutionPolicy.Default, null);
        _fakeStack = ModelRunnerFactory.Create(_metrics, config, new MemoryEngine(800), services, TimeProvider.System, NullLoggerFactory.Instance);
        _fakeNoTimeout = ModelRunnerFactory.Create(_metrics, config, new MemoryEngine(800), services with { Policy = ExecutionPolicy.Default with { ExecutionTimeout = null } }, TimeProvider.System, NullLoggerFactory.Instance);
        _fakeNoBreaker = ModelRunnerFactory.Create(_metrics, config, new MemoryEngine(800), services with { Policy = ExecutionPolicy.Default with { CircuitBreakerEnabled = false } }, TimeProvider.System, NullLoggerFactory.Instance);
        _fakeNoPolicy = ModelRunnerFactory.Create(_metrics, config, new MemoryEngine(800), ModelRunnerServices.None, TimeProvider.System, NullLoggerFactory.Instance);
        _bareBatcher = ModelRunnerFactory.Create(Model, config, new MemoryEngine(800), TimeProvider.System, NullLoggerFactory.Instance);

        _environment = new OnnxRuntimeEnvironment(NullLoggerFactory.Instance);
        var factory = new SessionPoolFactory(new ExecutionProviderCatalog(_environment, NullLogger<ExecutionProviderCatalog>.Instance));
        var version = ModelConfigLoader.FindVersions(dir).Max().ToString(System.Globalization.CultureInfo.InvariantCulture);
        _pool = factory.Create(Model, Path.Combine(dir, version, ModelConfigLoader.ModelFileName), config with { ExecutionProviders = ["cpu"] });
        _onePool = factory.Create(Model, Path.Combine(dir, version, ModelConfigLoader.ModelFileName), config with { ExecutionProviders = ["cpu"], IntraOpThreads = 1 });
        _ortStack = ModelRunnerFactory.Create(_metrics, config, _pool, services, TimeProvider.System, NullLoggerFactory.Instance);
        _batchingModel = new BatchingModel(Model, config, TimeProvider.System);

        // The engine's own floor: one session as the pool builds it (spinning off), inputs and run options made once.
        using var options = new SessionOptions { IntraOpNumThreads = Math.Max(1, Environment.ProcessorCount), InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        _session = new InferenceSession(Path.Combine(dir, version, ModelConfigLoader.ModelFileName), options);
        _runOptions = new RunOptions();
        _ortInputs = [OrtValue.CreateTensorValueFromMemory(new[] { 1L }, [1, 1]), OrtValue.CreateTensorValueFromMemory(new[] { 0L }, [1, 1])];
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _fakeStack.DisposeAsync();
        await _ortStack.DisposeAsync();
        await _bareBatcher.DisposeAsync();
        await _fakeNoTimeout.DisposeAsync();
        await _fakeNoBreaker.DisposeAsync();
        await _fakeNoPolicy.DisposeAsync();
        _pool.Dispose();
        _onePool.Dispose();
        foreach (var value in _ortInputs)
        {
            value.Dispose();
        }

        _runOptions.Dispose();
        _session.Dispose();
        _environment.Dispose();
        _meterProvider.Dispose();
        _meterFactory.Dispose();
    }

    [Benchmark(Description = "Served stack, fake engine: metrics + breaker + timeout + inline batch of one")]
    public Task<IReadOnlyList<Tensor>> StackFakeEngine() => _fakeStack.InferAsync(_request, CancellationToken.None);

    [Benchmark(Description = "Served stack, fake engine, no execution timeout")]
    public Task<IReadOnlyList<Tensor>> StackNoTimeout() => _fakeNoTimeout.InferAsync(_request, CancellationToken.None);

    [Benchmark(Description = "Served stack, fake engine, no circuit breaker")]
    public Task<IReadOnlyList<Tensor>> StackNoBreaker() => _fakeNoBreaker.InferAsync(_request, CancellationToken.None);

    [Benchmark(Description = "Served stack, fake engine, neither (metrics + batcher)")]
    public Task<IReadOnlyList<Tensor>> StackNoPolicy() => _fakeNoPolicy.InferAsync(_request, CancellationToken.None);

    [Benchmark(Description = "Batcher alone, fake engine: inline batch of one, no metrics")]
    public Task<IReadOnlyList<Tensor>> BatcherFakeEngine() => _bareBatcher.InferAsync(_request, CancellationToken.None);

    [Benchmark(Description = "Served stack, ONNX Runtime recommender")]
    public Task<IReadOnlyList<Tensor>> StackOnnxRuntime() => _ortStack.InferAsync(_request, CancellationToken.None);

    [Benchmark(Description = "ONNX Runtime recommender alone (session pool)")]
    public Task<IReadOnlyList<Tensor>> PoolOnly() => _pool.ExecuteAsync(_request.Inputs, _request.Outputs!, CancellationToken.None);

    [Benchmark(Description = "ONNX Runtime recommender, bare session.Run (inputs and run options made once)")]
    public int BareRun()
    {
        using var outputs = _session.Run(_runOptions, ["user_ids", "item_ids"], _ortInputs, ["user_scores"]);
        return outputs.Count;
    }

    [Benchmark(Description = "ONNX Runtime recommender alone, intra_op_threads 1")]
    public Task<IReadOnlyList<Tensor>> PoolOneThread() => _onePool.ExecuteAsync(_request.Inputs, _request.Outputs!, CancellationToken.None);

    /// <summary>What ModelStatistics and ObservedRunner tell the instruments for one request run as a batch of one.</summary>
    [Benchmark(Description = "Metrics of one request (batch of one)")]
    public void Metrics()
    {
        _metrics.Execution(1);
        _metrics.Compute(0.000_001, 0.000_010, 0.000_001);
        _metrics.Queue(0.000_001);
        _metrics.Success(0.000_020);
    }

    [Benchmark(Description = "BatchingModel.Describe, recommender request")]
    public int Describe() => _batchingModel.Describe(_request).Rows;

    /// <summary>Answers every run with a fresh [rows, items] output, as the session pool hands its outputs over.</summary>
    private sealed class MemoryEngine(int items) : IBatchExecutor
    {
        public int InstanceCount => 1;

        public Task<IReadOnlyList<Tensor>> ExecuteAsync(IReadOnlyList<Tensor> inputs, IReadOnlyList<string> outputNames, CancellationToken cancellationToken)
        {
            var rows = inputs[0].Shape[0];
            var outputs = new Tensor[outputNames.Count];
            for (var i = 0; i < outputs.Length; i++)
            {
                outputs[i] = new Tensor(outputNames[i], TensorDataType.Fp32, [rows, items], new float[rows * items]);
            }

            return Task.FromResult<IReadOnlyList<Tensor>>(outputs);
        }
    }

    private sealed class BenchMeterFactory : IMeterFactory
    {
        private readonly List<Meter> _meters = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options.Name, options.Version, options.Tags, this);
            _meters.Add(meter);
            return meter;
        }

        public void Dispose() => _meters.ForEach(m => m.Dispose());
    }

    /// <summary>The SDK aggregates as it does behind the Prometheus endpoint; the collected points are dropped.</summary>
    private sealed class DiscardingExporter : BaseExporter<Metric>
    {
        public override ExportResult Export(in Batch<Metric> batch) => ExportResult.Success;
    }
}

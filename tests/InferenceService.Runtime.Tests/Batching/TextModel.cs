using InferenceService.Runtime.Batching;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Repository;
using InferenceService.Runtime.Tensors;
using Microsoft.Extensions.Logging.Abstractions;

namespace InferenceService.Runtime.Tests.Batching;

/// <summary>The config and requests of the model <see cref="FakeTextExecutor"/> plays: [batch, seq] in, [batch, seq, 2] and [batch, 2] out.</summary>
internal static class TextModel
{
    public static IReadOnlyList<string> Outputs { get; } = ["last_hidden_state", "pooler_output"];

    public static ModelConfig Config(DynamicBatchingConfig? batching, int maxBatchSize = 8) => new()
    {
        MaxBatchSize = maxBatchSize,
        Inputs =
        [
            new TensorConfig { Name = "input_ids", Datatype = "INT64", Dims = [-1] },
            new TensorConfig { Name = "attention_mask", Datatype = "INT64", Dims = [-1], PadValue = 0 },
        ],
        Outputs =
        [
            new TensorConfig { Name = "last_hidden_state", Datatype = "FP32", Dims = [-1, 2] },
            new TensorConfig { Name = "pooler_output", Datatype = "FP32", Dims = [2] },
        ],
        DynamicBatching = batching,
    };

    public static DynamicBatcher Batcher(IBatchExecutor executor, TimeProvider time, DynamicBatchingConfig batching, int maxBatchSize = 8) =>
        (DynamicBatcher)ModelRunnerFactory.Create("text", Config(batching, maxBatchSize), executor, time, NullLoggerFactory.Instance);

    /// <summary>Ids are marker * 1000 + position, so a run's inputs show which requests it held.</summary>
    public static InferenceRequest Request(long marker, int length, int rows = 1, int? priority = null, TimeSpan? timeout = null)
    {
        var ids = new long[rows * length];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = (marker * 1000) + i + 1;
        }

        var mask = new long[rows * length];
        Array.Fill(mask, 1L);
        return new InferenceRequest
        {
            Inputs =
            [
                new Tensor("input_ids", TensorDataType.Int64, [rows, length], ids),
                new Tensor("attention_mask", TensorDataType.Int64, [rows, length], mask),
            ],
            Priority = priority,
            Timeout = timeout,
        };
    }

    public static long MarkerOf(long id) => id / 1000;

    public static IReadOnlyList<Tensor> Unbatched(InferenceRequest request) => FakeTextExecutor.Compute(request.Inputs, request.Outputs ?? Outputs);
}

using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Repository;
using InferenceService.Runtime.Telemetry;
using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Pipelines;

/// <summary>
/// Sends pre-processed tensors down the same path as V2 infer (validation, then the version's runner, where the
/// batcher sits), so task endpoints get batching, queue limits and timeouts for free.
/// </summary>
internal static class ModelCall
{
    /// <summary>
    /// Validates the inputs against the model's config as V2 infer does, then runs them on the version's runner. The
    /// caller holds a lease (<see cref="TaskModel.Require"/>), so a version a hot swap retired meanwhile still finishes
    /// the request, as V2 infer's in-flight requests do.
    /// </summary>
    public static async Task<IReadOnlyList<Tensor>> RunAsync(ModelVersion model, IReadOnlyList<Tensor> inputs, IReadOnlyList<string> outputs, CancellationToken cancellationToken)
    {
        if (model.Runner is null)
        {
            throw new InferenceException(InferenceErrorKind.Unavailable, $"Model '{model.Name}' version {model.Version} is not ready: {model.State}{(model.Reason is null ? string.Empty : " (" + model.Reason + ")")}.");
        }

        InferenceRequest request;
        try
        {
            request = RequestValidator.Validate(model.Name, model.Config, inputs, outputs, priority: null, timeout: null);
        }
        catch (InferenceException e)
        {
            // The runner counts what reaches it; a request that did not fit the model is counted here.
            InferenceTelemetry.RecordFailure(model.Name, model.Version, InferenceTelemetry.ReasonOf(e));
            throw;
        }

        // The caller's lease keeps the sessions alive; this one only guards a caller that holds none.
        if (!model.TryAcquire())
        {
            throw new InferenceException(InferenceErrorKind.Unavailable, $"Model '{model.Name}' version {model.Version} was unloaded; retry.") { RetryAfterSeconds = 1 };
        }

        try
        {
            return await model.Runner.InferAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            model.Release();
        }
    }

    /// <summary>The shape of a request of <paramref name="batch"/> items: the batch dim only when the model batches.</summary>
    public static long[] Shape(ModelConfig config, int batch, params long[] itemDims) =>
        config.MaxBatchSize > 0 ? [batch, .. itemDims] : itemDims;

    /// <summary>How many items one request may carry: max_batch_size, or 1 for a model without a batch dim.</summary>
    public static int MaxItems(ModelConfig config) => Math.Max(1, config.MaxBatchSize);

    /// <summary>Checks that an output holds <paramref name="items"/> rows of <paramref name="width"/> values and returns its data.</summary>
    public static float[] Rows(Tensor output, int items, int width, string model)
    {
        var data = output.Data as float[];
        if (data is null || data.Length != (long)items * width)
        {
            throw new PipelineException(PipelineErrorKind.Misconfigured,
                $"Model '{model}' output '{output.Name}' is {output}: expected FP32 with {items} x {width} values.");
        }

        return data;
    }
}

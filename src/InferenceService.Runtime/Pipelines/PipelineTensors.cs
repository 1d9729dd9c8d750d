using InferenceService.Runtime.Repository;
using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Pipelines;

/// <summary>Shapes and output checks shared by the pipelines when they build requests for, and read answers of, their model.</summary>
internal static class PipelineTensors
{
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

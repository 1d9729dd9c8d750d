namespace InferenceService.Training.Publish;

/// <summary>One input or output in config.json; dims exclude the batch dimension when max_batch_size &gt; 0.</summary>
internal sealed record TensorSpec(string Name, string Datatype, long[] Dims);

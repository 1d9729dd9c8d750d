using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Tests.Batching;

internal sealed record ExecutorCall(IReadOnlyList<Tensor> Inputs, IReadOnlyList<string> OutputNames)
{
    public long Rows => Inputs[0].Shape[0];

    public long[] Ids => Inputs.Single(t => t.Name == "input_ids").As<long>();
}

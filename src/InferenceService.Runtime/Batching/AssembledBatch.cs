using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Batching;

/// <summary>The executor's inputs for a batch, and what is needed to hand each member its own part of the outputs.</summary>
/// <param name="OutputNames">The union of the members' requested outputs, in the model's order.</param>
/// <param name="PaddedLengths">Per tensor axis, the batch's length on a variable (padded) axis; 0 where no input varies.</param>
/// <param name="OwnLengths">Per member and tensor axis, the member's own length on a variable axis.</param>
internal sealed record AssembledBatch(
    IReadOnlyList<Tensor> Inputs,
    IReadOnlyList<string> OutputNames,
    long Rows,
    long[] PaddedLengths,
    long[][] OwnLengths);

using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Batching;

/// <summary>
/// The executor's inputs for a batch, and what is needed to hand each member its own part of the outputs. Disposing it
/// returns the concatenated inputs' arrays to the recycler they were rented from: only once the executor has finished
/// with the inputs (executors do not keep their inputs after the run).
/// </summary>
/// <param name="OutputNames">The union of the members' requested outputs, in the model's order.</param>
/// <param name="PaddedLengths">Per tensor axis, the batch's length on a variable (padded) axis; 0 where no input varies.</param>
/// <param name="OwnLengths">Per member and tensor axis, the member's own length on a variable axis.</param>
/// <param name="Rented">The inputs whose arrays came from <paramref name="Buffers"/> (concatenations; a lone member's own inputs never).</param>
internal sealed record AssembledBatch(
    IReadOnlyList<Tensor> Inputs,
    IReadOnlyList<string> OutputNames,
    long Rows,
    long[] PaddedLengths,
    long[][] OwnLengths,
    IReadOnlyList<Tensor> Rented,
    ArrayRecycler? Buffers) : IDisposable
{
    private int _disposed;

    public void Dispose()
    {
        if (Buffers is null || Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var tensor in Rented)
        {
            Buffers.Return(tensor);
        }
    }
}

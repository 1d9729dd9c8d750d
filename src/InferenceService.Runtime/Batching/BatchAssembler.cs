using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Batching;

/// <summary>Builds a batch's inputs from its members (concatenated, padded) and splits the outputs back (by rows, sliced).</summary>
internal static class BatchAssembler
{
    /// <summary>
    /// Members share a shape key (<see cref="BatchingModel.Describe"/>), so they differ at most on variable axes. Concatenated
    /// inputs take their arrays from <paramref name="buffers"/>; disposing the batch gives them back.
    /// </summary>
    public static AssembledBatch Assemble(BatchingModel model, IReadOnlyList<QueuedRequest> members, ArrayRecycler? buffers = null)
    {
        var first = members[0].Request.Inputs;
        var maxRank = 0;
        for (var i = 0; i < first.Count; i++)
        {
            maxRank = Math.Max(maxRank, first[i].Shape.Length);
        }

        var padded = new long[maxRank];
        var own = new long[members.Count][];
        var inputs = new Tensor[first.Count];
        var parts = new Tensor[members.Count];
        // A lone member is passed through as it is: nothing is concatenated, so nothing rented.
        List<Tensor>? rented = members.Count == 1 ? null : new(first.Count);
        for (var m = 0; m < members.Count; m++)
        {
            own[m] = new long[maxRank];
        }

        for (var i = 0; i < first.Count; i++)
        {
            var name = first[i].Name;
            var rank = first[i].Shape.Length;
            var variable = model.InputVariableAxes(name, rank);
            var itemShape = first[i].Shape[1..];
            for (var m = 0; m < members.Count; m++)
            {
                var part = Find(members[m].Request.Inputs, name);
                parts[m] = part;
                for (var axis = 1; axis < rank; axis++)
                {
                    if (variable[axis])
                    {
                        itemShape[axis - 1] = Math.Max(itemShape[axis - 1], part.Shape[axis]);
                        own[m][axis] = Math.Max(own[m][axis], part.Shape[axis]);
                    }
                }
            }

            for (var axis = 1; axis < rank; axis++)
            {
                if (variable[axis])
                {
                    padded[axis] = Math.Max(padded[axis], itemShape[axis - 1]);
                }
            }

            if (members.Count == 1)
            {
                inputs[i] = parts[0];
            }
            else
            {
                inputs[i] = TensorBatching.Concat(parts, itemShape, model.PadValue(name), buffers);
                rented!.Add(inputs[i]);
            }
        }

        return new AssembledBatch(inputs, OutputNames(model, members), QueuedRequest.Rows(members), padded, own, (IReadOnlyList<Tensor>?)rented ?? [], buffers);
    }

    /// <summary>The union of the members' requested outputs, in the model's order.</summary>
    private static IReadOnlyList<string> OutputNames(BatchingModel model, IReadOnlyList<QueuedRequest> members)
    {
        if (members.Count == 1)
        {
            // A lone member (every inline run): its own list, without the set a union needs.
            var own = members[0].Shape.Outputs;
            if (ReferenceEquals(own, model.AllOutputs))
            {
                return own;
            }

            var names = new List<string>(own.Count);
            foreach (var name in model.AllOutputs)
            {
                if (Contains(own, name))
                {
                    names.Add(name);
                }
            }

            return names;
        }

        var wanted = members.SelectMany(m => m.Shape.Outputs).ToHashSet(StringComparer.Ordinal);
        return model.AllOutputs.Where(wanted.Contains).ToList();
    }

    private static bool Contains(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] == name)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Member <paramref name="index"/>'s outputs, in the order it asked for them.</summary>
    public static IReadOnlyList<Tensor> Split(BatchingModel model, AssembledBatch batch, IReadOnlyList<Tensor> outputs, IReadOnlyList<QueuedRequest> members, int index, long startRow)
    {
        var member = members[index];
        var result = new Tensor[member.Shape.Outputs.Count];
        for (var o = 0; o < result.Length; o++)
        {
            var name = member.Shape.Outputs[o];
            var output = outputs[IndexOf(batch.OutputNames, name)];
            if (members.Count == 1)
            {
                result[o] = output.WithName(name);
                continue;
            }

            var variable = model.OutputVariableAxes(name);
            var itemShape = output.Shape[1..];
            for (var axis = 1; axis < output.Shape.Length; axis++)
            {
                // The output follows the inputs' variable axis only if it came back exactly as long as the batch's padding.
                if (axis < variable.Length && variable[axis] && axis < batch.PaddedLengths.Length
                    && batch.PaddedLengths[axis] > 0 && output.Shape[axis] == batch.PaddedLengths[axis])
                {
                    itemShape[axis - 1] = batch.OwnLengths[index][axis];
                }
            }

            result[o] = TensorBatching.Slice(output, startRow, member.Shape.Rows, itemShape).WithName(name);
        }

        return result;
    }

    /// <summary>Throws when the executor's answer cannot be split: wrong count, or a batch dim that is not the batch's rows.</summary>
    public static void CheckOutputs(BatchingModel model, AssembledBatch batch, IReadOnlyList<Tensor> outputs)
    {
        if (outputs.Count != batch.OutputNames.Count)
        {
            throw new InferenceException(InferenceErrorKind.Backend, $"model '{model.Name}' returned {outputs.Count} outputs for {batch.OutputNames.Count} requested.");
        }

        foreach (var output in outputs)
        {
            if (output.Shape.Length == 0 || output.Shape[0] != batch.Rows)
            {
                throw new InferenceException(InferenceErrorKind.Backend, $"model '{model.Name}' returned {output} for a batch of {batch.Rows}: dim 0 must be the batch size.");
            }
        }
    }

    private static Tensor Find(IReadOnlyList<Tensor> tensors, string name)
    {
        foreach (var tensor in tensors)
        {
            if (tensor.Name == name)
            {
                return tensor;
            }
        }

        throw new InvalidOperationException($"input '{name}' is missing although the shape keys matched.");
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] == name)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"output '{name}' was not requested from the executor.");
    }
}

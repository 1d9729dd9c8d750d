using InferenceService.Runtime.Repository;
using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Inference;

/// <summary>Checks decoded inputs against a model's config: names, datatypes, ranks, fixed dims and the batch size.</summary>
public static class RequestValidator
{
    public static InferenceRequest Validate(string modelName, ModelConfig config, IReadOnlyList<Tensor> inputs, IReadOnlyList<string>? outputs, int? priority, TimeSpan? timeout, ValueRanges? ranges = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(inputs);
        var expectedNames = string.Join(", ", config.Inputs.Select(i => i.Name));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long? batch = null;
        var ordered = new Tensor[config.Inputs.Count];
        foreach (var input in inputs)
        {
            var index = IndexOf(config.Inputs, input.Name);
            if (index < 0)
            {
                throw Bad($"Model '{modelName}' has no input '{input.Name}'; its inputs are: {expectedNames}.");
            }

            if (!seen.Add(input.Name))
            {
                throw Bad($"Input '{input.Name}' is given more than once.");
            }

            var declared = config.Inputs[index];
            if (input.DataType.ToWireName() != declared.Datatype)
            {
                throw Bad($"Input '{input.Name}': expected datatype {declared.Datatype}, got {input.DataType.ToWireName()}.");
            }

            CheckShape(modelName, config, declared, input, ref batch);
            ranges?.Check(input);
            ordered[index] = input;
        }

        var missing = config.Inputs.Where(i => !seen.Contains(i.Name)).Select(i => i.Name).ToList();
        if (missing.Count > 0)
        {
            throw Bad($"Missing input(s) {string.Join(", ", missing)}; model '{modelName}' expects: {expectedNames}.");
        }

        CheckVariableGroups(config, ordered);

        if (outputs is not null)
        {
            var outputSet = new HashSet<string>(StringComparer.Ordinal);
            foreach (var name in outputs)
            {
                if (IndexOf(config.Outputs, name) < 0)
                {
                    throw Bad($"Model '{modelName}' has no output '{name}'; its outputs are: {string.Join(", ", config.Outputs.Select(o => o.Name))}.");
                }

                if (!outputSet.Add(name))
                {
                    throw Bad($"Output '{name}' is requested more than once.");
                }
            }
        }

        return new InferenceRequest { Inputs = ordered, Outputs = outputs is { Count: > 0 } ? outputs : null, Priority = priority, Timeout = timeout };
    }

    private static void CheckShape(string modelName, ModelConfig config, TensorConfig declared, Tensor input, ref long? batch)
    {
        var shape = input.Shape;
        var dims = declared.Dims;
        var batching = config.MaxBatchSize > 0;
        var expected = batching ? "[batch," + string.Join(",", dims) + "]" : "[" + string.Join(",", dims) + "]";
        if (shape.Length != dims.Count + (batching ? 1 : 0))
        {
            throw Bad($"Input '{input.Name}': expected shape {expected} (-1 = any), got {TensorShape.Format(shape)}.");
        }

        var offset = 0;
        if (batching)
        {
            offset = 1;
            if (shape[0] < 1 || shape[0] > config.MaxBatchSize)
            {
                throw Bad($"Input '{input.Name}': batch size {shape[0]} must be from 1 to max_batch_size {config.MaxBatchSize} of model '{modelName}'.");
            }

            if (batch is { } b && b != shape[0])
            {
                throw Bad($"Input '{input.Name}': batch size {shape[0]} differs from the other inputs' {b}.");
            }

            batch = shape[0];
        }

        for (var d = 0; d < dims.Count; d++)
        {
            var actual = shape[d + offset];
            if (dims[d] >= 0 ? actual != dims[d] : actual < 1)
            {
                throw Bad($"Input '{input.Name}': expected shape {expected} (-1 = any size >= 1), got {TensorShape.Format(shape)}.");
            }
        }
    }

    /// <summary>
    /// Inputs declared with the same dims containing -1 (a text model's ids, mask and type ids) share those sizes:
    /// a request whose lengths disagree is refused here rather than failing inside the graph.
    /// </summary>
    private static void CheckVariableGroups(ModelConfig config, Tensor[] inputs)
    {
        var groups = config.Inputs
            .Select((declared, index) => (declared, index))
            .Where(x => x.declared.Dims.Contains(-1))
            .GroupBy(x => string.Join(",", x.declared.Dims), StringComparer.Ordinal);
        foreach (var group in groups)
        {
            var first = inputs[group.First().index];
            foreach (var (_, index) in group.Skip(1))
            {
                if (!inputs[index].Shape.AsSpan().SequenceEqual(first.Shape))
                {
                    throw Bad($"Inputs '{first.Name}' {TensorShape.Format(first.Shape)} and '{inputs[index].Name}' {TensorShape.Format(inputs[index].Shape)} must have the same shape (they share variable dims).");
                }
            }
        }
    }

    private static int IndexOf(IReadOnlyList<TensorConfig> tensors, string name)
    {
        for (var i = 0; i < tensors.Count; i++)
        {
            if (tensors[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }

    private static InferenceException Bad(string message) => InferenceException.BadRequest(message);
}

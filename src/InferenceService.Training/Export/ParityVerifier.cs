using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using static TorchSharp.torch;

namespace InferenceService.Training.Export;

/// <summary>
/// Runs the exported graph in ONNX Runtime (CPU) and the TorchSharp model on the same random inputs at
/// batch 1 and 37 (37: not a power of two, so a batch dimension fixed by mistake shows up).
/// </summary>
internal static class ParityVerifier
{
    public static readonly int[] BatchSizes = [1, 37];

    public static ParityReport Verify(byte[] onnxModel, IParityProbe probe, int seed = 1234, double tolerance = ParityReport.DefaultTolerance)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        using var session = new InferenceSession(onnxModel, options);
        var diffs = new Dictionary<int, double>();
        using var generator = new Generator((ulong)seed);
        foreach (var batch in BatchSizes)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var inputs = probe.RandomInputs(batch, generator);
            var expected = probe.Forward(inputs);
            var names = inputs.Keys.ToArray();
            var values = names.Select(n => ToOrt(inputs[n])).ToArray();
            try
            {
                var outputNames = expected.Keys.ToArray();
                using var runOptions = new RunOptions();
                using var results = session.Run(runOptions, names, values, outputNames);
                var max = 0.0;
                for (var i = 0; i < outputNames.Length; i++)
                {
                    var actual = results[i].GetTensorDataAsSpan<float>();
                    var reference = expected[outputNames[i]].detach().cpu().contiguous().data<float>().ToArray();
                    var shape = results[i].GetTensorTypeAndShape().Shape;
                    var torchShape = expected[outputNames[i]].shape;
                    if (!shape.SequenceEqual(torchShape))
                    {
                        throw new InvalidDataException(
                            $"Output {outputNames[i]}: ONNX Runtime shape [{string.Join(',', shape)}] != TorchSharp [{string.Join(',', torchShape)}].");
                    }

                    for (var j = 0; j < reference.Length; j++)
                    {
                        var diff = Math.Abs(actual[j] - reference[j]);
                        max = double.IsNaN(diff) ? double.NaN : Math.Max(max, diff);
                    }
                }

                diffs[batch] = max;
            }
            finally
            {
                foreach (var value in values)
                {
                    value.Dispose();
                }
            }
        }

        return new ParityReport(diffs, tolerance);
    }

    private static OrtValue ToOrt(Tensor tensor)
    {
        var shape = tensor.shape;
        return tensor.dtype switch
        {
            ScalarType.Float32 => OrtValue.CreateTensorValueFromMemory(tensor.cpu().contiguous().data<float>().ToArray(), shape),
            ScalarType.Int64 => OrtValue.CreateTensorValueFromMemory(tensor.cpu().contiguous().data<long>().ToArray(), shape),
            _ => throw new NotSupportedException($"Parity inputs of type {tensor.dtype} are not supported."),
        };
    }
}

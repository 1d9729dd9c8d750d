using System.Buffers;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Protocol;
using InferenceService.Runtime.Repository;
using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Tests.Protocol;

/// <summary>
/// A body as the server holds it, in pieces (Kestrel's 4 KB blocks), decodes to exactly what the same bytes in one
/// span decode to: element values, BOOL and BYTES checks, and the 400s for a length that does not add up.
/// </summary>
public sealed class BinaryTensorDataSequenceTests
{
    public static TheoryData<TensorDataType> FixedSizeTypes => new()
    {
        TensorDataType.UInt8, TensorDataType.UInt16, TensorDataType.UInt32, TensorDataType.UInt64, TensorDataType.Int8,
        TensorDataType.Int16, TensorDataType.Int32, TensorDataType.Int64, TensorDataType.Fp16, TensorDataType.Bf16,
        TensorDataType.Fp32, TensorDataType.Fp64,
    };

    [Theory]
    [MemberData(nameof(FixedSizeTypes))]
    public void Decode_PiecesCutInsideElements_SameAsOneSpan(TensorDataType type)
    {
        var count = 5001;
        var bytes = RandomBytes(count * type.ElementSize(), seed: (int)type);

        // Piece sizes of 7 and 4096 cut most elements in two, as Kestrel's blocks cut a body anywhere.
        foreach (var piece in new[] { 7, 4096 })
        {
            var pieces = InPieces(bytes, piece);
            Assert.False(pieces.IsSingleSegment);
            var expected = BinaryTensorData.Decode(type, count, bytes, "x");
            var actual = BinaryTensorData.Decode(type, count, pieces, "x");
            Assert.Equal(expected.GetType(), actual.GetType());
            Assert.Equal(expected.Cast<object>(), actual.Cast<object>());
        }
    }

    [Fact]
    public void Decode_BoolAndBytesInPieces_CheckedAsInOneSpan()
    {
        Assert.Equal(new[] { true, false, true }, BinaryTensorData.Decode(TensorDataType.Bool, 3, InPieces([1, 0, 1], 1), "x"));
        var bad = Assert.Throws<InferenceException>(() => BinaryTensorData.Decode(TensorDataType.Bool, 3, InPieces([1, 2, 1], 1), "x"));
        Assert.Contains("BOOL element 1 is byte 2", bad.Message, StringComparison.Ordinal);
        byte[] strings = [2, 0, 0, 0, (byte)'h', (byte)'i', 0, 0, 0, 0];
        Assert.Equal(new[] { "hi", "" }, BinaryTensorData.Decode(TensorDataType.Bytes, 2, InPieces(strings, 3), "x"));
    }

    [Fact]
    public void Decode_LengthNotCountTimesSize_400SaysBoth()
    {
        var error = Assert.Throws<InferenceException>(() => BinaryTensorData.Decode(TensorDataType.Fp32, 4, InPieces(new byte[15], 4), "input 'x'"));
        Assert.Equal(InferenceErrorKind.BadRequest, error.Kind);
        Assert.Contains("4 FP32 elements need 16 bytes, binary data has 15", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RawBinaryRequest_ImageInKestrelSizedPieces_SameTensorAsFromOneSpan()
    {
        var config = new ModelConfig
        {
            MaxBatchSize = 8,
            Inputs = [new TensorConfig { Name = "image", Datatype = "FP32", Dims = [3, 224, 224] }],
            Outputs = [new TensorConfig { Name = "y", Datatype = "FP32", Dims = [512] }],
        };
        var bytes = RandomBytes(3 * 224 * 224 * sizeof(float), seed: 18);
        var fromSpan = RawBinaryRequest.Build("resnet", config, bytes).Inputs[0];
        var fromPieces = RawBinaryRequest.Build("resnet", config, InPieces(bytes, 4096)).Inputs[0];
        Assert.Equal(new long[] { 1, 3, 224, 224 }, fromPieces.Shape);
        Assert.Equal((float[])fromSpan.Data, (float[])fromPieces.Data);

        var error = Assert.Throws<InferenceException>(() => RawBinaryRequest.Build("resnet", config, InPieces(bytes.AsSpan(1).ToArray(), 4096)));
        Assert.Contains("binary data has 602111", error.Message, StringComparison.Ordinal);
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static ReadOnlySequence<byte> InPieces(byte[] bytes, int piece)
    {
        Segment? first = null;
        Segment? last = null;
        for (var offset = 0; offset < bytes.Length; offset += piece)
        {
            var segment = new Segment(bytes.AsMemory(offset, Math.Min(piece, bytes.Length - offset)), offset);
            last?.Append(segment);
            first ??= segment;
            last = segment;
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public void Append(Segment next) => Next = next;
    }
}

using System.Globalization;
using System.Text;
using InferenceService.Runtime.Protocol;

namespace InferenceService.Runtime.Tests.Protocol;

public sealed class ShortestFloatTests
{
    public static TheoryData<float, string> Layouts => new()
    {
        { 0f, "0" },
        { -0f, "-0" },
        { 1f, "1" },
        { 0.1f, "0.1" },
        { 1f / 3, "0.33333334" },
        { -2.5f, "-2.5" },
        { 0.0001f, "0.0001" },          // decimal exponent -4: still plain
        { 0.00012345678f, "0.00012345678" },
        { 1e-5f, "1E-05" },             // -5: scientific
        { -1.234e-5f, "-1.234E-05" },
        { 123456790f, "123456790" },    // exponent 8: plain, the float's 9 digits
        { 1e8f, "100000000" },
        { 1e9f, "1E+09" },              // 9: scientific
        { 16777216f, "16777216" },
        { 1e10f, "1E+10" },
        { float.MaxValue, "3.4028235E+38" },
        { float.Epsilon, "1E-45" },
        { -float.Epsilon, "-1E-45" },
        { 1.17549435E-38f, "1.1754944E-38" }, // smallest normal
        { 1.1754942E-38f, "1.1754942E-38" },  // largest subnormal
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Write_KnownValues_LaysOutAsRoundTripFormat(float value, string expected)
    {
        Assert.Equal(expected, Format(value));
        Assert.Equal(value.ToString("R", CultureInfo.InvariantCulture), expected);
    }

    [Fact]
    public void Write_EveryPowerOfTwoAndItsNeighbours_MatchesRoundTripFormat()
    {
        // The asymmetric intervals (a power of two's lower neighbour is half as far) and the exponent ends.
        for (var biased = 0u; biased < 255; biased++)
        {
            var bits = biased << 23;
            foreach (var candidate in new[] { bits, bits + 1, bits - 1, bits | 0x7FFFFF })
            {
                var value = BitConverter.UInt32BitsToSingle(candidate);
                if (float.IsFinite(value))
                {
                    Assert.Equal(value.ToString("R", CultureInfo.InvariantCulture), Format(value));
                }
            }
        }
    }

    [Fact]
    public void Write_EveryPowerOfTen_MatchesRoundTripFormat()
    {
        for (var exponent = -45; exponent <= 38; exponent++)
        {
            var value = float.Parse($"1e{exponent}", CultureInfo.InvariantCulture);
            Assert.Equal(value.ToString("R", CultureInfo.InvariantCulture), Format(value));
        }
    }

    public static TheoryData<float, string> TrailingZeros => new()
    {
        { 1000f, "1000" },              // zeros of an integer are digits, not trimmed away
        { 12000000f, "12000000" },
        { 0.5f, "0.5" },
        { 250.25f, "250.25" },
        { 100.5f, "100.5" },
        { 1.5e-5f, "1.5E-05" },
        { 3e20f, "3E+20" },
        { 0.001f, "0.001" },
        { 7e-45f, "7E-45" },           // subnormal: one digit
    };

    [Theory]
    [MemberData(nameof(TrailingZeros))]
    public void Write_ShortestEndingInZeros_DropsThem(float value, string expected)
    {
        Assert.Equal(expected, Format(value));
        Assert.Equal(value.ToString("R", CultureInfo.InvariantCulture), expected);
    }

    [Fact]
    public void Write_RandomBitPatterns_ParseBackToSameBitsAsRoundTripFormat()
    {
        // Every exponent and sign, uniformly over bit patterns; the exhaustive check is `InferenceService.Bench floats`.
        var random = new Random(20261202);
        var checkedCount = 0;
        while (checkedCount < 200_000)
        {
            var bits = (uint)random.NextInt64(0, 1L << 32);
            var value = BitConverter.UInt32BitsToSingle(bits);
            if (!float.IsFinite(value))
            {
                continue;
            }

            var text = Format(value);
            Assert.Equal(bits, BitConverter.SingleToUInt32Bits(float.Parse(text, CultureInfo.InvariantCulture)));
            Assert.Equal(value.ToString("R", CultureInfo.InvariantCulture), text);
            checkedCount++;
        }
    }

    [Fact]
    public void Write_DestinationShorterThanScratchLength_Throws()
    {
        var buffer = new byte[ShortestFloat.ScratchLength - 1];

        Assert.Throws<ArgumentException>(() => ShortestFloat.Write(1f, buffer));
    }

    private static string Format(float value)
    {
        Span<byte> buffer = stackalloc byte[ShortestFloat.ScratchLength];
        return Encoding.ASCII.GetString(buffer[..ShortestFloat.Write(value, buffer)]);
    }
}

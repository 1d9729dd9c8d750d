using System.Buffers.Binary;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace InferenceService.Runtime.Protocol;

/// <summary>
/// Writes a finite float as UTF-8: the shortest decimal that reads back to the same bits, laid out exactly as
/// <c>float.ToString("R", InvariantCulture)</c> does (plain for decimal exponents -5 &lt; e &lt; 9, else <c>d.dddE±dd</c>).
/// The BCL's formatter (via Utf8JsonWriter.WriteNumberValue) cost ~115 ns a value, most of a JSON tensor response; this
/// is about three times cheaper.
/// </summary>
/// <remarks>
/// Method. A float v = c·2^q reads back from any decimal strictly inside its rounding interval, halfway to each
/// neighbour (the ends too when c is even: parsing rounds half to even). Scale the interval by 10^-k with
/// k = floor(log10(width)): it then holds at least one integer and at most one multiple of 10. A multiple of 10 inside is
/// the shortest decimal (trailing zeros dropped); otherwise the shortest are the integers next to v, and the nearer one
/// (ties to even) is the answer. Each quantity is one 64×64-bit multiply of a shifted quarter count by a 64-bit 10^-k,
/// of which only the high word is kept: the scaled value in quarters with 32 fraction bits. 10^-k is exact for
/// 0 ≤ -k ≤ 27 (about 1e-20 &lt; |v| &lt; 1.6e8) and rounded up elsewhere, which adds less than one unit of the last
/// fraction bit; the fraction bits are zero exactly when the scaled quantity is an integer (the exhaustive check below
/// holds this to account). The value is then reduced to floor(4x) with bit 0 set when a fraction was cut off (round to
/// odd), enough to round to nearest, ties to even; the ends are compared in fixed point. The digits are laid out without
/// divisions for the trailing zeros: they are the zero bytes at the end of the 8-digit word.
/// Checked against <c>float.ToString("R")</c> for every one of the 4,278,190,080 finite floats with
/// <c>InferenceService.Bench floats</c> (0 mismatches), and by sampling in the tests.
/// </remarks>
internal static class ShortestFloat
{
    /// <summary>Longest text: 9 significant digits at most, as in "-1.2345678E-38" and "-0.00012345678".</summary>
    public const int MaxLength = 15;

    /// <summary>Room <see cref="Write"/> needs: it writes 8 bytes at a time, so bytes after the text may be overwritten.</summary>
    public const int ScratchLength = 24;

    private const int MinBinaryExponent = -149;
    private const int MinDecimalPower = -31;   // -k for the largest floats (2^104 wide intervals)
    private const int MaxDecimalPower = 45;    // -k for the smallest subnormals
    private const int FractionBits = 32;       // of the scaled values, kept in the high word of a 64×64-bit product
    private const int MaxExactPower = 27;      // 5^27 < 2^64 < 5^28: 10^0 .. 10^27 fit a 64-bit significand exactly
    private const ulong ZeroPointZeros = 0x30303030_30302E30; // "0.000000", first character in the lowest byte

    private static readonly ulong[] Multipliers = BuildMultipliers();

    private static ReadOnlySpan<uint> PowersOf10 => [1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000];

    /// <summary>
    /// Writes finite <paramref name="value"/> at the start of <paramref name="destination"/> (at least <see cref="ScratchLength"/>
    /// bytes, of which those after the returned count are left as scratch); returns the byte count.
    /// </summary>
    public static int Write(float value, Span<byte> destination)
    {
        Debug.Assert(float.IsFinite(value));
        var bits = BitConverter.SingleToUInt32Bits(value);

        // One check for all the writes below, which go through a reference: they stay within ScratchLength bytes.
        if (destination.Length < ScratchLength)
        {
            ThrowTooShort();
        }

        // The sign is written either way and counted only when set: a branch on it would guess wrong half the time on
        // signed data such as embeddings.
        ref var start = ref MemoryMarshal.GetReference(destination);
        start = (byte)'-';
        var length = (int)(bits >> 31);
        var fraction = bits & 0x7FFFFF;
        var biased = (int)(bits >> 23) & 0xFF;
        if (biased == 0 && fraction == 0)
        {
            Unsafe.Add(ref start, length) = (byte)'0';
            return length + 1;
        }

        var (digits, power) = Shortest(fraction, biased);
        return length + Layout(digits, power, ref Unsafe.Add(ref start, length));
    }

    // Out of line: building the message inline would cost every call a larger stack frame.
    [DoesNotReturn]
    private static void ThrowTooShort() =>
        throw new ArgumentException($"The float formatter needs {ScratchLength} bytes of room.", "destination");

    /// <summary>
    /// The shortest decimal digits × 10^power in the rounding interval of a positive float; the digits may end in zeros
    /// (a multiple of 10 was found), which the layout drops.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (uint Digits, int Power) Shortest(uint fraction, int biased)
    {
        ulong c = biased == 0 ? fraction : fraction | 0x800000;
        var q = biased == 0 ? MinBinaryExponent : biased - 150;

        // At a power of two the float below is half as far away as the one above (except next to the subnormals): 1
        // there, else 0, a number rather than a bool so that what depends on it needs no branch.
        var asymmetric = (fraction == 0 ? 1 : 0) & (biased > 1 ? 1 : 0);

        // k = floor(log10(width)): floor(q·log10 2), or floor(log10(3/4·2^q)) where the interval is 3/4 as wide; in fixed
        // point, exact for |q| ≤ 1650, far beyond a float's -149..104.
        var k = ((q * 315653) - (asymmetric * 131008)) >> 20;
        var multiplier = Multipliers[-k - MinDecimalPower];

        // 10^-k = multiplier·2^(FloorLog2Pow10(-k) - 63); the 64 bits the product's high word drops come back in the shift.
        var shift = q + FloorLog2Pow10(-k) - 63 + 64 + FractionBits;

        // Quarter units: the value is 4c·2^(q-2), the interval's ends (4c - 2 or - 1) and (4c + 2).
        var value = ScaledQuarters(c << 2, multiplier, shift);
        var whole = value >> 2;
        var tens = whole / 10;

        // The ends stay in fixed point (FractionBits below the quarters), where an integer n is inside iff
        // lowest <= 4n·2^32 <= highest: the ends are not counted as fractions, so they need no round-to-odd bit. An odd
        // significand leaves the ends out (they round to the even neighbour), which for a multiple of 2^32 is one unit in.
        var odd = c & 1;
        var lowest = Product((c << 2) - 2 + (ulong)asymmetric, multiplier, shift) + odd;
        var highest = Product((c << 2) + 2, multiplier, shift) - odd;

        // Nearest integer, ties to even: quarters 0 exact, 1 below half, 2 half, 3 above half; up for 3, or 2 when odd.
        var nearest = whole + (((value & 3) + (whole & 1) + 1) >> 2);

        // Only at a power of two, where the interval is shorter below, can the nearest fall out: the one above is inside.
        nearest += nearest << (FractionBits + 2) < lowest ? 1UL : 0UL;

        // The interval is narrower than 10, so it holds at most one multiple of 10: the one at or below the value or the
        // one above. Either is shorter than the nearest integer; the layout drops its trailing zeros. Two selects rather
        // than nested branches: which case applies is a coin toss on real data.
        const ulong Ten = 40UL << FractionBits;
        var below = tens * Ten;
        var chosen = below + Ten <= highest ? below + Ten : nearest << (FractionBits + 2);
        chosen = below >= lowest ? below : chosen;
        return ((uint)(chosen >> (FractionBits + 2)), k);
    }

    /// <summary>The high word of (<paramref name="quarters"/> · 2^shift) · multiplier: quarters·2^q·10^-k with <see cref="FractionBits"/> fraction bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Product(ulong quarters, ulong multiplier, int shift)
    {
        // Only the high word: BigMul's low one goes through memory even when unused.
        var scaled = quarters << shift;
        return Bmi2.X64.IsSupported ? Bmi2.X64.MultiplyNoFlags(scaled, multiplier) : Math.BigMul(scaled, multiplier, out _);
    }

    /// <summary>
    /// floor(4x) with bit 0 set when 4x is not an integer, for 4x = (<paramref name="quarters"/> · 2^shift) · multiplier / 2^96:
    /// the high word of the product holds 4x with <see cref="FractionBits"/> fraction bits, and those are zero only when 4x is
    /// an integer. A rounded-up multiplier adds less than one unit of the last of them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ScaledQuarters(ulong quarters, ulong multiplier, int shift)
    {
        var high = Product(quarters, multiplier, shift);
        return (high >> FractionBits) | (((high & uint.MaxValue) + uint.MaxValue) >> FractionBits);
    }

    /// <summary>Lays out digits × 10^power as the BCL's round-trip format does; returns the byte count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Layout(uint digits, int power, ref byte destination)
    {
        var digitCount = DigitCount(digits);
        var exponent = power + digitCount - 1;

        // The digits left-aligned in 9 places (zeros after them): the first one, then 8 more in one 64-bit word, last
        // digit in the highest byte. Its leading zero bytes are the trailing zeros, so the digits without them count
        // 9 - zero bytes (1 when all 8 are zero).
        var aligned = digits * PowersOf10[9 - digitCount];
        var first = aligned / 100_000_000;
        var values = EightDigitValues(aligned - (first * 100_000_000));
        var count = 9 - (BitOperations.LeadingZeroCount(values) >> 3);
        var rest = values + 0x30303030_30303030;
        var lead = (byte)('0' + first);

        if (exponent < -4 || exponent > 8)
        {
            // d.dddE±dd
            destination = lead;
            Unsafe.Add(ref destination, 1) = (byte)'.';
            Store(ref destination, 2, rest);
            var at = count == 1 ? 1 : count + 1;
            var magnitude = (uint)Math.Abs(exponent);
            var tens = magnitude / 10;
            var sign = exponent < 0 ? (uint)'-' : '+';
            var suffix = 'E' | (sign << 8) | (('0' + tens) << 16) | (('0' + magnitude - (tens * 10)) << 24);
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, at), BitConverter.IsLittleEndian ? suffix : BinaryPrimitives.ReverseEndianness(suffix));
            return at + 4;
        }

        if (exponent < 0)
        {
            // "0.", then 0-3 zeros: all written at once, the digits over the zeros not needed.
            Store(ref destination, 0, ZeroPointZeros);
            var start = 1 - exponent;
            Unsafe.Add(ref destination, start) = lead;
            Store(ref destination, start + 1, rest);
            return start + count;
        }

        // An integer: its trailing zeros are the aligned zeros.
        destination = lead;
        Store(ref destination, 1, rest);
        var integerDigits = exponent + 1;
        if (integerDigits >= count)
        {
            return integerDigits;
        }

        // A point after the first integerDigits (1..8): digits 2..integerDigits stay, the point, then the others one byte on.
        var kept = 8 * (integerDigits - 1);
        var before = rest & ((1UL << kept) - 1);
        var after = ((rest >> kept) << (kept + 7)) << 1;
        Store(ref destination, 1, before | ((ulong)'.' << kept) | after);
        Unsafe.Add(ref destination, 9) = (byte)(rest >> 56);
        return count + 1;
    }

    /// <summary>Writes 8 bytes at <paramref name="offset"/>, the lowest byte of <paramref name="littleEndian"/> first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(ref byte destination, int offset, ulong littleEndian) =>
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, offset), BitConverter.IsLittleEndian ? littleEndian : BinaryPrimitives.ReverseEndianness(littleEndian));

    /// <summary>
    /// The 8 zero-padded digits (0..9 each, not yet ASCII) of <paramref name="value"/> &lt; 10^8, first digit in the lowest byte. Divides all
    /// lanes at once: 4-digit halves in 32-bit lanes, then 2-digit quarters in 16-bit lanes, then digits in bytes; the
    /// multiply-shift quotients (n·5243 &gt;&gt; 19 = n / 100 below 10^4, n·103 &gt;&gt; 10 = n / 10 below 100) fit their lanes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong EightDigitValues(uint value)
    {
        var upper = value / 10_000;
        ulong halves = upper | ((ulong)(value - (upper * 10_000)) << 32);
        var hundreds = ((halves * 5243) >> 19) & 0x0000007F_0000007F;
        var quarters = hundreds | ((halves - (hundreds * 100)) << 16);
        var tens = ((quarters * 103) >> 10) & 0x000F000F_000F000F;
        return tens | ((quarters - (tens * 10)) << 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int DigitCount(uint value)
    {
        // floor(log10(2^bits)) digits, or one more.
        var guess = ((BitOperations.Log2(value) + 1) * 1233) >> 12;
        return guess + (value >= PowersOf10[guess] ? 1 : 0);
    }

    /// <summary>floor(p·log2 10) in fixed point, for the table's p (checked when it is built).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int FloorLog2Pow10(int p) => (p * 1741647) >> 19;

    /// <summary>
    /// m for 10^p = m·2^r (p = -k), m in [2^63, 2^64): exact where it fits, else rounded up. r = floor(p·log2 10) - 63 is
    /// computed where it is needed; this checks that the formula gives it.
    /// </summary>
    private static ulong[] BuildMultipliers()
    {
        var multipliers = new ulong[MaxDecimalPower - MinDecimalPower + 1];
        for (var p = MinDecimalPower; p <= MaxDecimalPower; p++)
        {
            BigInteger numerator, denominator;
            int r;
            if (p >= 0)
            {
                var power = BigInteger.Pow(10, p);
                r = (int)power.GetBitLength() - 64;
                (numerator, denominator) = r >= 0 ? (power, BigInteger.One << r) : (power << -r, BigInteger.One);
            }
            else
            {
                var power = BigInteger.Pow(10, -p);
                r = -(63 + (int)power.GetBitLength());
                (numerator, denominator) = (BigInteger.One << -r, power);
            }

            var quotient = BigInteger.DivRem(numerator, denominator, out var remainder);
            var exact = remainder.IsZero;
            if (!exact)
            {
                quotient += 1;
            }

            if (exact != p is >= 0 and <= MaxExactPower || quotient >> 63 != 1 || r != FloorLog2Pow10(p) - 63)
            {
                throw new InvalidOperationException($"10^{p} does not fit the float formatter's table.");
            }

            multipliers[p - MinDecimalPower] = (ulong)quotient;
        }

        return multipliers;
    }
}

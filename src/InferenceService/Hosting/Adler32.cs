namespace InferenceService.Hosting;

/// <summary>
/// Adler-32 (RFC 1950 section 8), the checksum that ends a zlib stream. Needed to tell a whole zlib body from a cut one;
/// System.IO.Hashing has no Adler-32 in .NET 10.
/// </summary>
internal sealed class Adler32
{
    private const uint Modulus = 65521;

    /// <summary>The most bytes summed before <c>b</c> could overflow 32 bits, so the modulo runs once per run, not per byte (zlib's NMAX).</summary>
    private const int MaxRun = 5552;

    private uint _a = 1;
    private uint _b;

    public uint Value => (_b << 16) | _a;

    public void Append(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            var run = data[..Math.Min(data.Length, MaxRun)];
            foreach (var value in run)
            {
                _a += value;
                _b += _a;
            }

            _a %= Modulus;
            _b %= Modulus;
            data = data[run.Length..];
        }
    }
}

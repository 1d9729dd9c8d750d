using System.Diagnostics;
using System.Globalization;
using System.Text;
using InferenceService.Runtime.Protocol;

namespace InferenceService.Bench;

/// <summary>
/// `floats`: compares <see cref="ShortestFloat"/> with <c>float.ToString("R", InvariantCulture)</c> for every finite
/// float (2^32 - 2^24 bit patterns), or the bit range --from..--to (hex, inclusive). CPU-bound, ~0.3 µs a value per
/// thread: each half (00000000..7F7FFFFF, 80000000..FF7FFFFF) took 10-13 min on one shared core.
/// </summary>
internal static class FloatFormatCheck
{
    public static int Run(BenchArgs args)
    {
        var from = uint.Parse(args.Find("from") ?? "0", NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var to = uint.Parse(args.Find("to") ?? "FFFFFFFF", NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var threads = (int)args.Number("threads", Environment.ProcessorCount);
        const uint Chunk = 1 << 20;
        var chunks = (int)((((ulong)to - from) / Chunk) + 1);
        long checkedCount = 0;
        long mismatches = 0;
        var watch = Stopwatch.StartNew();
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads }, chunk =>
        {
            Span<byte> mine = stackalloc byte[ShortestFloat.ScratchLength];
            Span<byte> reference = stackalloc byte[32];
            var first = from + ((ulong)chunk * Chunk);
            var last = Math.Min(to, first + Chunk - 1);
            long count = 0;
            for (var bits = first; bits <= last; bits++)
            {
                var value = BitConverter.UInt32BitsToSingle((uint)bits);
                if (!float.IsFinite(value))
                {
                    continue;
                }

                var length = ShortestFloat.Write(value, mine);
                value.TryFormat(reference, out var expected, "R", CultureInfo.InvariantCulture);
                count++;
                if (!mine[..length].SequenceEqual(reference[..expected]) && Interlocked.Increment(ref mismatches) <= 20)
                {
                    Console.WriteLine($"{bits:X8}: {Encoding.ASCII.GetString(mine[..length])} but float.ToString(\"R\") is {Encoding.ASCII.GetString(reference[..expected])}");
                }
            }

            Interlocked.Add(ref checkedCount, count);
        });
        Console.WriteLine($"{checkedCount} finite floats in {from:X8}..{to:X8}: {mismatches} mismatches ({watch.Elapsed.TotalSeconds:F0} s, {threads} threads)");
        return mismatches == 0 ? 0 : 1;
    }
}

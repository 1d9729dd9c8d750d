using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using InferenceService.Runtime.Protocol;

namespace InferenceService.Bench;

/// <summary>
/// `float-cpu`: the per-value cost of <see cref="FloatJsonElements.Write(Utf8JsonWriter, ReadOnlySpan{float})"/> in
/// process CPU time rather than wall time, so that time the shared cores spend on other processes is not counted
/// (BenchmarkDotNet's wall-clock means swung 140–900 ns at load average 24 where this stays within ±1 ns). Values:
/// the micro-benchmark's (i · 0.001f, 6144 of them) and random embedding-like ones (uniform in ±0.2, seed 17); the
/// median of 15 samples of 300 arrays each.
/// </summary>
internal static class FloatCpuCost
{
    private const int Values = 6144;

    public static int Run()
    {
        var stepped = Enumerable.Range(0, Values).Select(i => i * 0.001f).ToArray();
        var random = new Random(17);
        var embedding = Enumerable.Range(0, Values).Select(_ => (float)((random.NextDouble() * 2) - 1) * 0.2f).ToArray();
        var buffer = new ArrayBufferWriter<byte>(1 << 20);
        Measure(buffer, stepped, 200);
        Measure(buffer, embedding, 200);
        var a = new List<double>();
        var b = new List<double>();
        for (var i = 0; i < 15; i++)
        {
            a.Add(Measure(buffer, stepped, 300));
            b.Add(Measure(buffer, embedding, 300));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"FloatJsonElements.Write, CPU ns per FP32 value (median of 15; min): i·0.001f {a.Order().ElementAt(7):F1} ({a.Min():F1}); embedding-like {b.Order().ElementAt(7):F1} ({b.Min():F1}); load average {File.ReadAllText("/proc/loadavg").Trim()}"));
        return 0;
    }

    private static double Measure(ArrayBufferWriter<byte> buffer, float[] data, int reps)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        for (var r = 0; r < reps; r++)
        {
            buffer.ResetWrittenCount();
            using var writer = new Utf8JsonWriter(buffer);
            writer.WriteStartArray();
            FloatJsonElements.Write(writer, data);
            writer.WriteEndArray();
            writer.Flush();
        }

        return (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalNanoseconds / ((double)reps * data.Length);
    }
}

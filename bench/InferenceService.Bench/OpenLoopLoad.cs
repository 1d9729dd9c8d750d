using System.Diagnostics;

namespace InferenceService.Bench;

/// <summary>
/// Open-loop load: requests go out on a fixed schedule (request i at start + i / rate) whatever the answers do, and each
/// latency is measured from the scheduled time, so a slow answer cannot hold back the next send (wrk is closed-loop).
/// At most maxInFlight requests are outstanding; a send that finds the cap reached is skipped and counted as a failure.
/// </summary>
internal sealed class OpenLoopLoad(HttpClient client, OpenLoopRequest request, int maxInFlight)
{
    private long _inFlight;

    public async Task<OpenLoopPoint> RunAsync(double fraction, double rate, TimeSpan duration)
    {
        var scheduled = Math.Max(1, (int)Math.Round(rate * duration.TotalSeconds));
        var latencies = new double[scheduled];
        Array.Fill(latencies, double.NaN);
        var counts = new Counts();
        var sends = new List<Task>(scheduled);
        var lags = new List<double>(scheduled);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < scheduled; i++)
        {
            var due = start + (long)(i / rate * Stopwatch.Frequency);
            var early = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (early > TimeSpan.Zero)
            {
                // Timer granularity (~1 ms) may send a few requests together; their latency still counts from `due`.
                await Task.Delay(early).ConfigureAwait(false);
            }

            lags.Add(Stopwatch.GetElapsedTime(due).TotalMilliseconds);
            if (Interlocked.Read(ref _inFlight) >= maxInFlight)
            {
                counts.Skipped++;
                continue;
            }

            Interlocked.Increment(ref _inFlight);
            sends.Add(SendAsync(i, due, latencies, counts));
        }

        await Task.WhenAll(sends).ConfigureAwait(false);
        var ok = latencies.Where(l => !double.IsNaN(l)).Order().ToArray();
        double Rank(double q) => ok.Length == 0 ? double.NaN : ok[Math.Max(0, (int)Math.Ceiling(q * ok.Length) - 1)];
        var span = Stopwatch.GetElapsedTime(counts.FirstAnswer, counts.LastAnswer).TotalSeconds;
        var throughput = ok.Length > 1 && span > 0 ? (ok.Length - 1) / span : 0;
        lags.Sort();
        return new OpenLoopPoint(fraction, rate, duration.TotalSeconds, scheduled, ok.Length, counts.Non2xx, counts.Errors,
            counts.Skipped, throughput, Rank(0.50), Rank(0.99), ok.Length == 0 ? double.NaN : ok[^1])
        {
            SendLagP99Ms = lags[Math.Max(0, (int)Math.Ceiling(0.99 * lags.Count) - 1)],
        };
    }

    private async Task SendAsync(int index, long due, double[] latencies, Counts counts)
    {
        // Leave the schedule loop at once: the send's synchronous part must not delay the next due time.
        await Task.Yield();
        try
        {
            using var message = request.Create();
            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseContentRead).ConfigureAwait(false);
            var answered = Stopwatch.GetTimestamp();
            if (response.IsSuccessStatusCode)
            {
                latencies[index] = Stopwatch.GetElapsedTime(due, answered).TotalMilliseconds;
                counts.Answered(answered);
            }
            else
            {
                Interlocked.Increment(ref counts.Non2xx);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            Interlocked.Increment(ref counts.Errors);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private sealed class Counts
    {
        private readonly Lock _gate = new();
        public long Non2xx;
        public long Errors;
        public long Skipped;

        public long FirstAnswer { get; private set; } = long.MaxValue;

        public long LastAnswer { get; private set; }

        public void Answered(long at)
        {
            lock (_gate)
            {
                FirstAnswer = Math.Min(FirstAnswer, at);
                LastAnswer = Math.Max(LastAnswer, at);
            }
        }
    }
}

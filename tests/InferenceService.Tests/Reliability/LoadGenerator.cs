using System.Collections.Concurrent;
using System.Diagnostics;

namespace InferenceService.Tests.Reliability;

/// <summary>
/// Bounded load on 127.0.0.1: closed loop (N clients back to back) to measure capacity, open loop (a fixed arrival
/// rate, whatever the answers do) for soak and overload. In-flight requests are capped; the cap is reported.
/// </summary>
internal sealed class LoadGenerator(HttpClient client, Func<HttpRequestMessage> request) : IDisposable
{
    public static HttpClient CreateClient(Uri baseAddress, int connections) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };

    public int SkippedAtCap { get; private set; }

    /// <summary>Successful requests per second with <paramref name="clients"/> clients back to back.</summary>
    public async Task<double> MeasureCapacityAsync(int clients, TimeSpan duration)
    {
        var clock = Stopwatch.StartNew();
        var ok = 0;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            while (clock.Elapsed < duration)
            {
                var sample = await SendAsync(clock);
                if (sample.Status == 200)
                {
                    Interlocked.Increment(ref ok);
                }
            }
        }));
        return ok / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Requests at <paramref name="perSecond"/> for <paramref name="duration"/>; returns when every one is answered.</summary>
    /// <param name="whenStopped">Started the moment sending stops, while answers may still be outstanding.</param>
    public async Task<IReadOnlyList<LoadSample>> RunOpenLoopAsync(double perSecond, TimeSpan duration, int maxInFlight, Func<Task>? whenStopped = null)
    {
        var samples = new ConcurrentBag<LoadSample>();
        var inFlight = new List<Task>();
        var clock = Stopwatch.StartNew();
        var sent = 0L;
        var running = 0;
        while (clock.Elapsed < duration)
        {
            var due = (long)(clock.Elapsed.TotalSeconds * perSecond);
            for (; sent < due; sent++)
            {
                if (Volatile.Read(ref running) >= maxInFlight)
                {
                    SkippedAtCap++;
                    continue;
                }

                Interlocked.Increment(ref running);
                inFlight.Add(Task.Run(async () =>
                {
                    try
                    {
                        samples.Add(await SendAsync(clock));
                    }
                    finally
                    {
                        Interlocked.Decrement(ref running);
                    }
                }));
            }

            await Task.Delay(5);
        }

        var after = whenStopped?.Invoke() ?? Task.CompletedTask;
        await Task.WhenAll(inFlight);
        await after;
        return [.. samples.OrderBy(s => s.SentAt)];
    }

    public async Task<LoadSample> SendAsync(Stopwatch clock)
    {
        var sentAt = clock.Elapsed;
        try
        {
            using var message = request();
            using var response = await client.SendAsync(message);
            var body = response.IsSuccessStatusCode ? null : await response.Content.ReadAsStringAsync();
            if (response.IsSuccessStatusCode)
            {
                await response.Content.CopyToAsync(Stream.Null);
            }

            var retryAfter = response.Headers.RetryAfter?.ToString();
            return new LoadSample(sentAt, (int)response.StatusCode, (clock.Elapsed - sentAt).TotalMilliseconds, body, retryAfter);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return new LoadSample(sentAt, 0, (clock.Elapsed - sentAt).TotalMilliseconds, e.GetType().Name + ": " + e.Message, null);
        }
    }

    public void Dispose() => client.Dispose();
}

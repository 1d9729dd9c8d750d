using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit.Abstractions;

namespace InferenceService.Tests.Reliability.Chaos;

/// <summary>
/// Slow and idle clients against MiniLM traffic: request bodies trickled at one byte per second (each such client
/// reconnects as soon as it is ended) and hundreds (long form: thousands) of idle keep-alive connections. Kestrel's
/// limits end them (Limits:MinRequestBodyBytesPerSecond after its grace, Limits:KeepAliveTimeoutSeconds), and the
/// other clients' p99 latency stays within 1.5x of the same load without them, measured before and after in the
/// same test (the worse of the two is the baseline, so drift on a shared machine does not count against the service).
/// </summary>
[Collection(LoadCollection.Name)]
public sealed class SlowClientChaosTests(ITestOutputHelper output)
{
    private const int GraceSeconds = 2;

    /// <summary>The grace, then Kestrel's once-a-second rate check, with room for a busy machine.</summary>
    private static readonly TimeSpan TrickleLimit = TimeSpan.FromSeconds(GraceSeconds + 4);

    private static int IdleConnections => ReliabilitySettings.Long ? 3000 : 300;

    private static int SlowClients => ReliabilitySettings.Long ? 100 : 12;

    private static TimeSpan Phase => ReliabilitySettings.Long ? TimeSpan.FromSeconds(30) : TimeSpan.FromSeconds(4);

    [Fact]
    [Trait("Category", "Load")]
    public async Task SlowBodiesAndIdleConnections_EndedByLimits_OthersLatencyUnaffected()
    {
        var keepAlive = Phase + TimeSpan.FromSeconds(ReliabilitySettings.Long ? 15 : 4);
        using var repository = new ReliabilityRepository();
        using var service = await ServiceProcess.StartAsync(
            repository.Path,
            "--ModelRepository:ControlMode=none",
            $"--Limits:MinRequestBodyGraceSeconds={GraceSeconds}",
            $"--Limits:KeepAliveTimeoutSeconds={keepAlive.TotalSeconds}");
        using var load = new LoadGenerator(LoadGenerator.CreateClient(service.BaseAddress, 2), MiniLmRequests.V2Infer);
        await load.MeasureCapacityAsync(2, TimeSpan.FromSeconds(1));

        var before = await MeasureAsync(load);
        var idle = await OpenIdleAsync(service.BaseAddress, IdleConnections);
        var idleOpenedAt = Stopwatch.StartNew();
        using var stopSlow = new CancellationTokenSource();
        var slow = Enumerable.Range(0, SlowClients).Select(_ => TrickleAsync(service.BaseAddress, stopSlow.Token)).ToList();
        var during = await MeasureAsync(load);
        await stopSlow.CancelAsync();
        var trickles = (await Task.WhenAll(slow)).SelectMany(t => t).ToList();
        var idleClosed = await Task.WhenAll(idle.Select(c => ClosedWithinAsync(c, keepAlive + TimeSpan.FromSeconds(5) - idleOpenedAt.Elapsed)));
        var after = await MeasureAsync(load);
        using var readyClient = new HttpClient { BaseAddress = service.BaseAddress };
        var ready = await readyClient.GetAsync(new Uri("/v2/health/ready", UriKind.Relative));
        foreach (var connection in idle)
        {
            connection.Dispose();
        }

        var baseline = Math.Max(before.P99, after.P99);
        output.WriteLine($"p99 before {before.P99:F1} ms ({before.Count}), with slow/idle clients {during.P99:F1} ms ({during.Count}), after {after.P99:F1} ms ({after.Count}); "
            + $"{trickles.Count} trickles ended, longest {trickles.DefaultIfEmpty().Max(t => t.Lasted.TotalSeconds):F1} s; idle closed {idleClosed.Count(c => c)}/{idle.Count}");
        Assert.All(new[] { before, during, after }, p => Assert.Equal(0, p.Failed));
        Assert.True(during.P99 <= 1.5 * baseline, $"p99 with slow and idle clients {during.P99:F1} ms > 1.5 x baseline {baseline:F1} ms");
        Assert.NotEmpty(trickles);
        Assert.All(trickles, t => Assert.True(t.EndedByServer, $"a trickling client was still connected after {t.Lasted.TotalSeconds:F1} s"));
        Assert.All(idleClosed, Assert.True);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    private static async Task<(double P99, int Count, int Failed)> MeasureAsync(LoadGenerator load)
    {
        var samples = new List<LoadSample>();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
        {
            while (clock.Elapsed < Phase)
            {
                var sample = await load.SendAsync(clock);
                lock (samples)
                {
                    samples.Add(sample);
                }
            }
        }));
        return (Percentiles.Of(samples.Select(s => s.LatencyMs), 99), samples.Count, samples.Count(s => s.Status != 200));
    }

    /// <summary>Connections that each made one request (so they are keep-alive connections, not half-open ones) and then went quiet.</summary>
    private static async Task<List<TcpClient>> OpenIdleAsync(Uri baseAddress, int count)
    {
        var connections = new List<TcpClient>(count);
        var buffer = new byte[4096];
        var request = Encoding.ASCII.GetBytes($"GET /health/live HTTP/1.1\r\nHost: {baseAddress.Authority}\r\n\r\n");
        for (var i = 0; i < count; i++)
        {
            var tcp = new TcpClient();
            connections.Add(tcp);
            await tcp.ConnectAsync(baseAddress.Host, baseAddress.Port);
            await tcp.GetStream().WriteAsync(request);
            var read = await tcp.GetStream().ReadAsync(buffer);
            Assert.StartsWith("HTTP/1.1 200", Encoding.ASCII.GetString(buffer, 0, read), StringComparison.Ordinal);
        }

        return connections;
    }

    /// <summary>Whether the server closes the connection (end of stream or reset) within <paramref name="limit"/>.</summary>
    private static async Task<bool> ClosedWithinAsync(TcpClient connection, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit > TimeSpan.Zero ? limit : TimeSpan.FromMilliseconds(1));
        try
        {
            var buffer = new byte[256];
            while (await connection.GetStream().ReadAsync(buffer, timeout.Token) > 0)
            {
                // Nothing is due on an idle connection; keep reading until it closes.
            }

            return true;
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Clients that send a V2 body one byte a second, reconnecting whenever the server ends one, until stopped.</summary>
    private static async Task<List<(bool EndedByServer, TimeSpan Lasted)>> TrickleAsync(Uri baseAddress, CancellationToken stop)
    {
        var results = new List<(bool, TimeSpan)>();
        var body = Encoding.ASCII.GetBytes(new string(' ', 10_000));
        var headers = Encoding.ASCII.GetBytes($"POST /v2/models/minilm/infer HTTP/1.1\r\nHost: {baseAddress.Authority}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n");
        while (!stop.IsCancellationRequested)
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(baseAddress.Host, baseAddress.Port, CancellationToken.None);
            var stream = tcp.GetStream();
            await stream.WriteAsync(headers, CancellationToken.None);
            var started = Stopwatch.StartNew();
            var reading = stream.ReadAsync(new byte[1024]).AsTask();
            var ended = false;
            // A trickle started before the stop runs until the server ends it or it has clearly outlived the limit.
            for (var i = 0; i < body.Length && started.Elapsed < TrickleLimit; i++)
            {
                try
                {
                    await stream.WriteAsync(body.AsMemory(i, 1), CancellationToken.None);
                }
                catch (IOException)
                {
                    ended = true;
                    break;
                }

                if (await Task.WhenAny(reading, Task.Delay(1000, CancellationToken.None)) == reading)
                {
                    ended = true;
                    break;
                }
            }

            results.Add((ended, started.Elapsed));
            if (!ended)
            {
                break;
            }
        }

        return results;
    }
}

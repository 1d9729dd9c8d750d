using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace InferenceService.Tests.Observability;

/// <summary>
/// A real Prometheus server (Debian's package; .ci/install.d/20-prometheus.sh installs it in CI) on a free loopback
/// port with the given scrape configuration, its data in a scratch folder; stopped (this process only) and the
/// folder deleted at dispose.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    public const string BinaryPath = "/usr/bin/prometheus";

    private readonly Process _process;
    private readonly string _work;
    private readonly HttpClient _api;

    private PrometheusServer(string scrapeConfigYaml)
    {
        _work = Path.Combine(Path.GetTempPath(), "is-prom-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_work);
        var port = FreePort();
        File.WriteAllText(Path.Combine(_work, "prometheus.yml"), scrapeConfigYaml);
        _process = Process.Start(new ProcessStartInfo(BinaryPath)
        {
            ArgumentList =
            {
                "--config.file=" + Path.Combine(_work, "prometheus.yml"),
                "--storage.tsdb.path=" + Path.Combine(_work, "data"),
                "--web.listen-address=127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture),
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    }

    public static bool Installed => File.Exists(BinaryPath);

    public static PrometheusServer Start(string scrapeConfigYaml)
    {
        Assert.True(Installed, $"{BinaryPath} is missing: install Debian's prometheus (apt-get install prometheus); .ci/install.d does it in CI.");
        return new PrometheusServer(scrapeConfigYaml);
    }

    /// <summary>
    /// Runs an instant query (GET /api/v1/query) until <paramref name="accept"/> takes its result (the series of a
    /// vector, each as labels and value) or <paramref name="timeout"/> passes; returns the last result (null: none).
    /// </summary>
    public async Task<IReadOnlyList<(JsonObject Labels, double Value)>?> QueryUntilAsync(
        string promQl, Func<IReadOnlyList<(JsonObject Labels, double Value)>, bool> accept, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        IReadOnlyList<(JsonObject, double)>? last = null;
        while (deadline.Elapsed < timeout)
        {
            try
            {
                var body = JsonNode.Parse(await _api.GetStringAsync("/api/v1/query?query=" + Uri.EscapeDataString(promQl)));
                if (body?["data"]?["result"] is JsonArray result)
                {
                    last = result.Select(r => (r!["metric"]!.AsObject(), double.Parse(r["value"]![1]!.GetValue<string>(), CultureInfo.InvariantCulture))).ToList();
                    if (accept(last))
                    {
                        return last;
                    }
                }
            }
            catch (HttpRequestException)
            {
                // Prometheus is still starting.
            }

            await Task.Delay(250);
        }

        return last;
    }

    /// <summary>The value of the first series once the query returns one (at most 60 s: start-up plus a few scrapes).</summary>
    public async Task<string?> FirstValueAsync(string promQl)
    {
        var result = await QueryUntilAsync(promQl, r => r.Count > 0, TimeSpan.FromSeconds(60));
        return result is { Count: > 0 } ? result[0].Value.ToString(CultureInfo.InvariantCulture) : null;
    }

    public async ValueTask DisposeAsync()
    {
        _api.Dispose();
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        Directory.Delete(_work, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

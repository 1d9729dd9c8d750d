using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace InferenceService.Tests.Observability;

/// <summary>
/// A real Prometheus server (Debian's package; .ci/install.d/20-prometheus.sh) scrapes the service on a real Kestrel
/// port and its HTTP API returns the series with the right value.
/// </summary>
public sealed class PrometheusScrapeTests
{
    private const string PrometheusPath = "/usr/bin/prometheus";

    [Fact]
    public async Task Scrape_RealPrometheus_SeesRequestSeriesQueueDepthAndTritonNames()
    {
        Assert.True(File.Exists(PrometheusPath), $"{PrometheusPath} is missing: install Debian's prometheus (apt-get install prometheus); .ci/install.d does it in CI.");
        var name = "scraped-" + Guid.NewGuid().ToString("N")[..8];
        using var service = new CustomService(new() { ["urls"] = "http://127.0.0.1:0", ["Grpc:Url"] = string.Empty });
        service.Write(Path.Combine(name, "config.json"), MetricsTests.BatchedAdderConfig);
        AdderModel.Publish(service.RepositoryPath, name, 1, AdderModel.Build(1f));
        service.UseKestrel();
        service.StartServer();
        await service.Models.Startup.WaitAsync(TimeSpan.FromMinutes(2));
        var address = new Uri(service.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        using var client = new HttpClient { BaseAddress = address };
        for (var i = 0; i < 2; i++)
        {
            var (_, status) = await V2Json.PostAsync(client, $"/v2/models/{name}/infer", V2Json.Request(V2Json.Tensor("x", "FP32", [1, 4], new float[4])));
            Assert.Equal(HttpStatusCode.OK, status);
        }

        var work = Path.Combine(Path.GetTempPath(), "is-prom-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        var port = FreePort();
        File.WriteAllText(Path.Combine(work, "prometheus.yml"), $"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: inference-service
                metrics_path: /metrics
                static_configs:
                  - targets: ["{address.Authority}"]
            """);
        using var prometheus = Process.Start(new ProcessStartInfo(PrometheusPath)
        {
            ArgumentList =
            {
                "--config.file=" + Path.Combine(work, "prometheus.yml"),
                "--storage.tsdb.path=" + Path.Combine(work, "data"),
                "--web.listen-address=127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture),
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        prometheus.OutputDataReceived += (_, _) => { };
        prometheus.ErrorDataReceived += (_, _) => { };
        prometheus.BeginOutputReadLine();
        prometheus.BeginErrorReadLine();
        try
        {
            using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var success = await PollAsync(api, $"inference_request_success_total{{model=\"{name}\"}}");
            var pending = await PollAsync(api, $"inference_pending_requests{{model=\"{name}\"}}");
            // Prometheus asks for OpenMetrics, where a counter's samples end in _total: Triton's names must survive that.
            var tritonSuccess = await PollAsync(api, $"nv_inference_request_success{{model=\"{name}\",version=\"1\"}}");

            Assert.Equal("2", success);
            Assert.Equal("0", pending);
            Assert.Equal("2", tritonSuccess);
        }
        finally
        {
            prometheus.Kill(entireProcessTree: true);
            await prometheus.WaitForExitAsync();
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Queries until the series has a sample (at most 60 s: start-up plus a few 1 s scrapes); returns its value.</summary>
    private static async Task<string?> PollAsync(HttpClient api, string query)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var body = JsonNode.Parse(await api.GetStringAsync("/api/v1/query?query=" + Uri.EscapeDataString(query)));
                if (body?["data"]?["result"] is JsonArray { Count: > 0 } result)
                {
                    return result[0]!["value"]![1]!.GetValue<string>();
                }
            }
            catch (HttpRequestException)
            {
                // Prometheus is still starting.
            }

            await Task.Delay(500);
        }

        return null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

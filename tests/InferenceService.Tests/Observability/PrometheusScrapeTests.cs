using System.Net;
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
    [Fact]
    public async Task Scrape_RealPrometheus_SeesRequestSeriesQueueDepthAndTritonNames()
    {
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

        await using var prometheus = PrometheusServer.Start($"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: inference-service
                metrics_path: /metrics
                static_configs:
                  - targets: ["{address.Authority}"]
            """);
        var success = await prometheus.FirstValueAsync($"inference_request_success_total{{model=\"{name}\"}}");
        var pending = await prometheus.FirstValueAsync($"inference_pending_requests{{model=\"{name}\"}}");
        // Prometheus asks for OpenMetrics, where a counter's samples end in _total: Triton's names must survive that.
        var tritonSuccess = await prometheus.FirstValueAsync($"nv_inference_request_success{{model=\"{name}\",version=\"1\"}}");

        Assert.Equal("2", success);
        Assert.Equal("0", pending);
        Assert.Equal("2", tritonSuccess);
    }
}

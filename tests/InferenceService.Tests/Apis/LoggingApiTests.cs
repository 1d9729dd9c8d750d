using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Grpc.Core;
using Grpc.Net.Client;
using InferenceService.Apis;
using InferenceService.Grpc;
using InferenceService.Tests.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace InferenceService.Tests.Apis;

/// <summary>
/// Triton's logging extension: GET/POST /v2/logging behind the admin key. A provider collects what the service's
/// filters let through, so a change is seen as log lines appearing and disappearing.
/// </summary>
public sealed class LoggingApiTests : IAsyncLifetime
{
    private const string Key = "logging-test-key";
    private const string Probe = "InferenceService.Tests.LoggingProbe";
    private readonly CollectingLoggerProvider _lines = new();
    private readonly CustomService _service = new(new() { ["Admin:ApiKey"] = Key });
    private WebApplicationFactory<Program> _factory = null!;
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _factory = _service.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(_lines)));
        _client = _factory.CreateClient();
        _client.DefaultRequestHeaders.Add("X-API-Key", Key);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        _service.Dispose();
    }

    /// <summary>Logs one line at <paramref name="level"/> through the service's logger factory; true if it got through.</summary>
    private bool Logs(LogLevel level)
    {
        var marker = Guid.NewGuid().ToString("N");
#pragma warning disable CA1848, CA2254 // a probe line, not the service's logging
        _factory.Services.GetRequiredService<ILoggerFactory>().CreateLogger(Probe).Log(level, marker);
#pragma warning restore CA1848, CA2254
        return _lines.Lines.Any(l => l.Category == Probe && l.Message == marker);
    }

    private async Task<(HttpStatusCode Status, JsonObject Body)> PostAsync(string json)
    {
        using var response = await _client.PostAsync("/v2/logging", new StringContent(json, Encoding.UTF8, "application/json"));
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    [Fact]
    public async Task Get_Configured_TritonFieldsFromTheDefaultLevel_AndExtensionListed()
    {
        var settings = await _client.GetStringAsync("/v2/logging");
        var metadata = await _client.GetFromJsonAsync<JsonObject>("/v2");

        Assert.Equal("""{"log_file":"","log_info":true,"log_warning":true,"log_error":true,"log_verbose_level":0,"log_format":"default"}""", settings);
        Assert.Contains("logging", metadata!["extensions"]!.AsArray().Select(e => e!.GetValue<string>()));
    }

    [Fact]
    public async Task Post_VerboseLevel_DebugLinesAppearAtOneAndGoAtZero()
    {
        Assert.False(Logs(LogLevel.Debug));
        Assert.True(Logs(LogLevel.Information));

        var (status, body) = await PostAsync("""{"log_verbose_level": 1}""");
        var debugAtOne = Logs(LogLevel.Debug);
        var traceAtOne = Logs(LogLevel.Trace);
        await PostAsync("""{"log_verbose_level": 2}""");
        var traceAtTwo = Logs(LogLevel.Trace);
        await PostAsync("""{"log_verbose_level": 0}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, body["log_verbose_level"]!.GetValue<int>());
        Assert.True(debugAtOne);
        Assert.False(traceAtOne);
        Assert.True(traceAtTwo);
        Assert.False(Logs(LogLevel.Debug));
        Assert.True(Logs(LogLevel.Information));
    }

    [Fact]
    public async Task Post_LogInfoFalse_InformationGoesWarningsStay()
    {
        var (status, body) = await PostAsync("""{"log_info": false}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(body["log_info"]!.GetValue<bool>());
        Assert.True(body["log_warning"]!.GetValue<bool>());
        Assert.False(Logs(LogLevel.Information));
        Assert.True(Logs(LogLevel.Warning));
        Assert.True(Logs(LogLevel.Error));
    }

    [Fact]
    public async Task Post_DocumentsPluralNames_TurnWarningsAndErrorsOff()
    {
        var (status, body) = await PostAsync("""{"log_warnings": false, "log_errors": false, "log_file": "", "log_info": null}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(body["log_warning"]!.GetValue<bool>());
        Assert.False(body["log_error"]!.GetValue<bool>());
        Assert.True(body["log_info"]!.GetValue<bool>());
        Assert.False(Logs(LogLevel.Warning));
        Assert.False(Logs(LogLevel.Error));
        Assert.False(Logs(LogLevel.Critical));
        Assert.True(Logs(LogLevel.Information));
    }

    [Fact]
    public async Task Post_Iso8601_ConsoleLinesGetAUtcTimestampUntilDefault()
    {
        var console = _factory.Services.GetRequiredService<IOptionsMonitor<SimpleConsoleFormatterOptions>>();

        var (status, body) = await PostAsync("""{"log_format": "ISO8601"}""");
        var iso = console.CurrentValue;
        await PostAsync("""{"log_format": "default"}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ISO8601", body["log_format"]!.GetValue<string>());
        Assert.Equal("yyyy-MM-ddTHH:mm:ssZ ", iso.TimestampFormat);
        Assert.True(iso.UseUtcTimestamp);
        Assert.Null(console.CurrentValue.TimestampFormat);
        Assert.True(console.CurrentValue.IncludeScopes);
    }

    [Theory]
    [InlineData("""{"log_verbose_level": -1}""", "log_verbose_level must be an integer from 0, got -1")]
    [InlineData("""{"log_verbose_level": "1"}""", "log_verbose_level must be an integer from 0")]
    [InlineData("""{"log_verbose_level": 1.5}""", "log_verbose_level must be an integer from 0")]
    [InlineData("""{"log_info": "yes"}""", "log_info must be true or false")]
    [InlineData("""{"log_format": "json"}""", "log_format must be \"default\" or \"ISO8601\"")]
    [InlineData("""{"log_file": "/tmp/triton.log"}""", "log_file cannot be changed at run time")]
    [InlineData("""{"log_verbose": 1}""", "Unknown log setting 'log_verbose'")]
    [InlineData("""[1]""", "must be a JSON object")]
    [InlineData("""{"log_verbose_level": """, "not JSON")]
    public async Task Post_BadValue_400ErrorAndNothingChanges(string json, string message)
    {
        var (status, body) = await PostAsync(json);
        var settings = await _client.GetFromJsonAsync<JsonObject>("/v2/logging");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(message, body["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, settings!["log_verbose_level"]!.GetValue<int>());
        Assert.False(Logs(LogLevel.Debug));
    }

    [Fact]
    public async Task Post_OneBadFieldAmongGoodOnes_NoneApplies()
    {
        var (status, _) = await PostAsync("""{"log_verbose_level": 2, "log_info": false, "log_format": "xml"}""");
        var settings = await _client.GetFromJsonAsync<JsonObject>("/v2/logging");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(0, settings!["log_verbose_level"]!.GetValue<int>());
        Assert.True(settings["log_info"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("wrong", HttpStatusCode.Forbidden)]
    public async Task Logging_WithoutTheKey_RefusedAndUnchanged(string? key, HttpStatusCode expected)
    {
        using var client = _factory.CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-API-Key", key);
        }

        using var get = await client.GetAsync("/v2/logging");
        using var post = await client.PostAsync("/v2/logging", new StringContent("""{"log_verbose_level": 1}""", Encoding.UTF8, "application/json"));

        Assert.Equal(expected, get.StatusCode);
        Assert.Equal(expected, post.StatusCode);
        Assert.NotNull(JsonNode.Parse(await post.Content.ReadAsStringAsync())!["error"]);
        Assert.False(Logs(LogLevel.Debug));
    }

    [Fact]
    public async Task Logging_NoAdminKeyConfigured_NotServedNorListed()
    {
        using var service = new CustomService();
        using var client = service.CreateClient();

        using var response = await client.GetAsync("/v2/logging");
        var metadata = await client.GetFromJsonAsync<JsonObject>("/v2");
        using var channel = GrpcChannel.ForAddress(service.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = service.Server.CreateHandler() });
        var rpc = await Assert.ThrowsAsync<RpcException>(async () => await new GRPCInferenceService.GRPCInferenceServiceClient(channel).LogSettingsAsync(new LogSettingsRequest()));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(StatusCode.Unimplemented, rpc.StatusCode);
        Assert.DoesNotContain("logging", metadata!["extensions"]!.AsArray().Select(e => e!.GetValue<string>()));
    }

    [Fact]
    public async Task LogSettingsRpc_WithKey_ReadsAndChangesAsRestDoes()
    {
        using var channel = GrpcChannel.ForAddress(_factory.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = _factory.Server.CreateHandler() });
        var client = new GRPCInferenceService.GRPCInferenceServiceClient(channel);
        var key = new Metadata { { GrpcInferenceApi.AdminKeyMetadata, Key } };

        var read = await client.LogSettingsAsync(new LogSettingsRequest(), key);
        var changed = await client.LogSettingsAsync(new LogSettingsRequest { Settings = { ["log_verbose_level"] = new() { Uint32Param = 1 } } }, key);
        var debugAtOne = Logs(LogLevel.Debug);
        var rest = await _client.GetFromJsonAsync<JsonObject>("/v2/logging");
        var bad = await Assert.ThrowsAsync<RpcException>(async () => await client.LogSettingsAsync(new LogSettingsRequest { Settings = { ["log_info"] = new() { Uint32Param = 1 } } }, key));
        var noKey = await Assert.ThrowsAsync<RpcException>(async () => await client.LogSettingsAsync(new LogSettingsRequest()));

        Assert.Equal(
            ["log_error=True", "log_file=", "log_format=default", "log_info=True", "log_verbose_level=0", "log_warning=True"],
            read.Settings.Select(s => $"{s.Key}={(s.Value.ParameterChoiceCase switch { LogSettingsResponse.Types.SettingValue.ParameterChoiceOneofCase.BoolParam => s.Value.BoolParam.ToString(), LogSettingsResponse.Types.SettingValue.ParameterChoiceOneofCase.Uint32Param => s.Value.Uint32Param.ToString(System.Globalization.CultureInfo.InvariantCulture), _ => s.Value.StringParam })}").Order(StringComparer.Ordinal));
        Assert.Equal(1u, changed.Settings["log_verbose_level"].Uint32Param);
        Assert.True(debugAtOne);
        Assert.Equal(1, rest!["log_verbose_level"]!.GetValue<int>());
        Assert.Equal(StatusCode.InvalidArgument, bad.StatusCode);
        Assert.Contains("log_info must be true or false, got 1", bad.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.Unauthenticated, noKey.StatusCode);
    }
}

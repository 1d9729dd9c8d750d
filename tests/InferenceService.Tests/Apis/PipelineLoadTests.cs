using System.Net;
using System.Text.Json.Nodes;
using InferenceService.Runtime.Repository;
using InferenceService.Tests.Pipelines;
using Microsoft.Extensions.DependencyInjection;

namespace InferenceService.Tests.Apis;

/// <summary>Task pipelines are built when a version loads: a broken one makes that version UNAVAILABLE with the reason, and the rest serve.</summary>
public sealed class PipelineLoadTests
{
    [Theory]
    [InlineData("\"labels\": \"labels.txt\"", "\"labels\": \"missing.txt\"", "pipeline.labels names 'missing.txt', which is not a file")]
    [InlineData("\"labels\": \"labels.txt\"", "\"labels\": \"five.txt\"", "five.txt has 5 labels")]
    [InlineData("\"channels\": 1", "\"channels\": 2", "image.channels must be 1 or 3, got 2")]
    [InlineData("\"kind\": \"image-classifier\"", "\"kind\": \"image-clasifier\"", "pipeline.kind must be one of")]
    public async Task Start_BrokenImageClassifierPipeline_VersionUnavailableWithReasonOthersServe(string find, string replace, string reason)
    {
        using var service = new CustomService();
        service.AddRealModel("mnist", "digits");
        service.AddRealModel("mnist", "broken");
        service.Write("broken/1/five.txt", "a\nb\nc\nd\ne\n");
        service.Write("broken/config.json", File.ReadAllText(Path.Combine(RepoPaths.Models, "mnist", "config.json")).Replace(find, replace, StringComparison.Ordinal));
        var client = await service.StartAsync();

        var version = service.Models.Find("broken", null, out _)!;
        using var ready = await client.GetAsync("/health/ready");
        var metadata = JsonNode.Parse(await client.GetStringAsync("/v2/models/broken"))!;
        using var brokenClassify = await client.PostAsync("/v1/vision/classify/broken", Png());
        using var goodClassify = await client.PostAsync("/v1/vision/classify/digits", Png());

        Assert.Equal(ModelState.Unavailable, version.State);
        Assert.Contains(reason, version.Reason, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains(reason, JsonNode.Parse(await ready.Content.ReadAsStringAsync())!["checks"]!.ToJsonString(new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }), StringComparison.Ordinal);
        Assert.Equal("UNAVAILABLE", metadata["parameters"]!["state"]!.GetValue<string>());
        Assert.Contains(reason, metadata["parameters"]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, brokenClassify.StatusCode);
        Assert.Equal(HttpStatusCode.OK, goodClassify.StatusCode);
    }

    [Theory]
    [InlineData("\"embedding_model\": \"minilm\"", "\"embedding_model\": \"nope\"", "pipeline.embedding_model 'nope' is not a model of the repository")]
    [InlineData("\"embedding_model\": \"minilm\"", "\"embedding_model\": \"digits\"", "pipeline.embedding_model 'digits' has no pipeline of kind 'text-embedder'")]
    [InlineData("\"max_tokens\": 256", "\"max_tokens\": 1", "pipeline.max_tokens must be 2 to 512, got 1")]
    public async Task Start_BrokenTextClassifierPipeline_VersionUnavailableWithReason(string find, string replace, string reason)
    {
        using var service = new CustomService();
        service.AddRealModel("mnist", "digits");
        service.AddRealModel("spam");
        service.Write("spam/config.json", File.ReadAllText(Path.Combine(RepoPaths.Models, "spam", "config.json")).Replace(find, replace, StringComparison.Ordinal));
        await service.StartAsync();

        var version = service.Models.Find("spam", null, out _)!;

        Assert.Equal(ModelState.Unavailable, version.State);
        Assert.Contains(reason, version.Reason, StringComparison.Ordinal);
        Assert.Equal(ModelState.Ready, service.Models.Find("digits", null, out _)!.State);
    }

    [Fact]
    public async Task Reload_PipelineBrokenByNewConfig_ServingVersionKeepsServing()
    {
        using var service = new CustomService();
        service.AddRealModel("mnist", "digits");
        var client = await service.StartAsync();
        var serving = service.Models.Find("digits", null, out _)!;

        service.Write("digits/config.json", File.ReadAllText(Path.Combine(RepoPaths.Models, "mnist", "config.json")).Replace("\"labels.txt\"", "\"gone.txt\"", StringComparison.Ordinal));
        var entry = await service.Services.GetRequiredService<ModelManager>().LoadModelAsync("digits", CancellationToken.None);
        using var classify = await client.PostAsync("/v1/vision/classify/digits", Png());

        Assert.Contains("'gone.txt', which is not a file", Assert.Single(entry.Failed).Reason, StringComparison.Ordinal);
        Assert.Same(serving, Assert.Single(entry.Versions));
        Assert.Equal(ModelState.Ready, serving.State);
        Assert.Equal(HttpStatusCode.OK, classify.StatusCode);
    }

    private static ByteArrayContent Png()
    {
        var content = new ByteArrayContent(TestImages.Solid(0, 28, 28));
        content.Headers.ContentType = new("image/png");
        return content;
    }
}

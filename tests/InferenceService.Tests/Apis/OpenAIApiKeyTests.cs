using System.ClientModel;
using System.Net;
using System.Net.Http.Headers;
using static InferenceService.Tests.Apis.TaskHttp;

namespace InferenceService.Tests.Apis;

/// <summary>With OpenAI:ApiKey set, the OpenAI routes need it as a bearer token, as OpenAI's API does; other routes do not.</summary>
public sealed class OpenAIApiKeyTests(OpenAIApiKeyTests.KeyedService keyed) : IClassFixture<OpenAIApiKeyTests.KeyedService>
{
    private const string Key = "sk-test-key";

    private readonly CustomService _service = keyed.Service;
    private readonly HttpClient _client = keyed.Client;

    [Fact]
    public async Task Embeddings_NoKey_Returns401InOpenAIsShape()
    {
        var error = await OpenAIApiTests.ReadOpenAIErrorAsync(await PostJsonAsync(_client, "/v1/embeddings", """{ "model": "minilm", "input": "hi" }"""), HttpStatusCode.Unauthorized);

        Assert.Contains("didn't provide an API key", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Models_WrongKey_Returns401InvalidApiKey()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sk-wrong");

        var error = await OpenAIApiTests.ReadOpenAIErrorAsync(await _client.SendAsync(request), HttpStatusCode.Unauthorized);

        Assert.Equal("invalid_api_key", error.GetProperty("code").GetString());
        Assert.DoesNotContain("sk-wrong", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenerateEmbedding_SdkWithTheKey_Succeeds()
    {
        var embedding = await OpenAIClients.For(_service, Key).GetEmbeddingClient("minilm").GenerateEmbeddingAsync("This is a test.");

        Assert.Equal(384, embedding.Value.ToFloats().Length);
    }

    [Fact]
    public async Task GenerateEmbedding_SdkWithAnotherKey_Throws401()
    {
        var error = await Assert.ThrowsAsync<ClientResultException>(() => OpenAIClients.For(_service, "sk-other").GetEmbeddingClient("minilm").GenerateEmbeddingAsync("hi"));

        Assert.Equal(401, error.Status);
    }

    [Fact]
    public async Task TextRoute_NoKey_IsNotAffected()
    {
        await ReadOkAsync(await PostJsonAsync(_client, "/v1/text/embeddings", """{ "texts": ["hi"] }"""));
    }

    /// <summary>One service over the real minilm with OpenAI:ApiKey set, shared by the tests of this class.</summary>
    public sealed class KeyedService : IAsyncLifetime
    {
        internal CustomService Service { get; } = new(new() { ["OpenAI:ApiKey"] = Key });

        internal HttpClient Client { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Service.AddRealModel("minilm");
            Client = await Service.StartAsync();
        }

        public Task DisposeAsync()
        {
            Service.Dispose();
            return Task.CompletedTask;
        }
    }
}

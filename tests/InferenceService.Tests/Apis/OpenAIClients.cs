using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.AspNetCore.Mvc.Testing;
using OpenAI;

namespace InferenceService.Tests.Apis;

/// <summary>OpenAI's own .NET client pointed at a test server: its requests go through the in-memory server, no socket.</summary>
internal static class OpenAIClients
{
    public static OpenAIClient For<T>(WebApplicationFactory<T> factory, string apiKey = "unused")
        where T : class => new(new ApiKeyCredential(apiKey), new OpenAIClientOptions
        {
            Endpoint = new Uri(factory.Server.BaseAddress, "/v1"),
            Transport = new HttpClientPipelineTransport(factory.CreateClient()),

            // A refusal is asserted as it comes; the SDK's retries would only repeat it.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        });
}

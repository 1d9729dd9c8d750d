using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace InferenceService.Tests.Apis;

/// <summary>Requests and answers of the task endpoints as a client sees them.</summary>
internal static class TaskHttp
{
    public static Task<HttpResponseMessage> PostRawAsync(HttpClient client, string path, byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return client.PostAsync(path, content);
    }

    public static Task<HttpResponseMessage> PostFilesAsync(HttpClient client, string path, params (byte[] Bytes, string FileName, string ContentType)[] files)
    {
        var form = new MultipartFormDataContent();
        foreach (var (bytes, fileName, contentType) in files)
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            form.Add(part, "image", fileName);
        }

        return client.PostAsync(path, form);
    }

    public static Task<HttpResponseMessage> PostJsonAsync(HttpClient client, string path, string json) =>
        client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    /// <summary>The JSON body of a 200 answer; fails with the body when the status is anything else.</summary>
    public static async Task<JsonElement> ReadOkAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts a problem+json answer with <paramref name="status"/> and returns its detail.</summary>
    public static async Task<string> ReadProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem.GetProperty("detail").GetString() ?? string.Empty;
    }

    public static float[] Floats(JsonElement array) => array.EnumerateArray().Select(e => e.GetSingle()).ToArray();

    public static double Norm(float[] vector) => Math.Sqrt(vector.Sum(x => (double)x * x));
}

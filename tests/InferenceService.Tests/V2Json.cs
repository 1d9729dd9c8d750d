using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace InferenceService.Tests;

/// <summary>Builds V2 request bodies and reads V2 responses for the tests.</summary>
internal static class V2Json
{
    public static JsonObject Tensor(string name, string datatype, long[] shape, Array data) => new()
    {
        ["name"] = name,
        ["datatype"] = datatype,
        ["shape"] = JsonSerializer.SerializeToNode(shape),
        ["data"] = JsonSerializer.SerializeToNode(data),
    };

    public static JsonObject Request(params JsonObject[] inputs) => new() { ["inputs"] = new JsonArray(inputs) };

    /// <summary>MiniLM inputs for one sequence of token ids.</summary>
    public static JsonObject MiniLm(long[] ids)
    {
        var ones = ids.Select(_ => 1L).ToArray();
        var zeros = new long[ids.Length];
        long[] shape = [1, ids.Length];
        return Request(Tensor("input_ids", "INT64", shape, ids), Tensor("attention_mask", "INT64", shape, ones), Tensor("token_type_ids", "INT64", shape, zeros));
    }

    public static async Task<(JsonObject Body, System.Net.HttpStatusCode Status)> PostAsync(HttpClient client, string url, JsonNode body)
    {
        using var response = await client.PostAsJsonAsync(url, body);
        var node = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        return (node!.AsObject(), response.StatusCode);
    }

    public static float[] Floats(JsonObject response, int output = 0) =>
        response["outputs"]![output]!["data"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray();
}

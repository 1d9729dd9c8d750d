using System.Text;

namespace InferenceService.Tests.Reliability;

/// <summary>The requests the load tests send: MiniLM seq 16 as V2 JSON, and the same sentence through /v1/text/embeddings.</summary>
internal static class MiniLmRequests
{
    private static readonly string V2Body = Build();

    public static HttpRequestMessage V2Infer() => new(HttpMethod.Post, "/v2/models/minilm/infer")
    {
        Content = new StringContent(V2Body, Encoding.UTF8, "application/json"),
    };

    public static HttpRequestMessage TextEmbeddings() => new(HttpMethod.Post, "/v1/text/embeddings")
    {
        Content = new StringContent("""{"texts": ["the quick brown fox jumps over the lazy dog near the river bank today"]}""", Encoding.UTF8, "application/json"),
    };

    private static string Build()
    {
        var ids = new long[16];
        Array.Fill(ids, 7592L);
        ids[0] = 101;
        ids[^1] = 102;
        string Input(string name, IEnumerable<long> data) => $$"""{"name": "{{name}}", "datatype": "INT64", "shape": [1, 16], "data": [{{string.Join(",", data)}}]}""";
        return $$"""{"inputs": [{{Input("input_ids", ids)}}, {{Input("attention_mask", Enumerable.Repeat(1L, 16))}}, {{Input("token_type_ids", new long[16])}}]}""";
    }
}

using System.Buffers.Binary;
using System.Net.Http.Headers;
using System.Text;
using InferenceService.Tests.Pipelines;
using SkiaSharp;

namespace InferenceService.Tests.Reliability;

/// <summary>
/// Hostile requests for every HTTP route: malformed JSON, wrong types, shape/data mismatches, huge, negative and
/// overflowing dims, NaN/Inf where a number must be finite, invalid UTF-8, oversized bodies, truncated binary payloads,
/// wrong Inference-Header-Content-Length, non-images, truncated JPEG/PNG, 30000x30000 images, path traversal, unknown
/// models and versions. Every one must be answered 4xx with a message.
/// </summary>
internal static class HostileCorpus
{
    public const string V2Infer = "POST /v2/models/{name}[/versions/{version}]/infer";
    public const string V2Model = "GET /v2/models/{name}[/versions/{version}][/ready]";
    public const string V2Stats = "GET /v2/models/{name}[/versions/{version}]/stats";
    public const string Repository = "POST /v2/repository/...";
    public const string VisionEmbeddings = "POST /v1/vision/embeddings";
    public const string VisionSimilarity = "POST /v1/vision/similarity";
    public const string VisionClassify = "POST /v1/vision/classify/{model}";
    public const string TextEmbeddings = "POST /v1/text/embeddings";
    public const string TextSimilarity = "POST /v1/text/similarity";
    public const string TextClassify = "POST /v1/text/classify/{model}";
    public const string UserRecommendations = "GET /v1/recommendations/{model}/users/{userId}";
    public const string SimilarItems = "GET /v1/recommendations/{model}/items/{itemId}/similar";

    public static IReadOnlyList<string> Routes { get; } =
        [V2Infer, V2Model, V2Stats, Repository, VisionEmbeddings, VisionSimilarity, VisionClassify, TextEmbeddings, TextSimilarity, TextClassify, UserRecommendations, SimilarItems];

    private static readonly byte[] InvalidUtf8 = [0xC3, 0x28, 0xFF, 0xFE, 0xA0, 0xA1];

    public static IReadOnlyList<HostileCase> All { get; } = [.. V2InferCases(), .. PathCases(), .. RepositoryCases(), .. VisionCases(), .. TextCases(), .. RecommendationCases()];

    private static IEnumerable<HostileCase> V2InferCases()
    {
        const string ids = """{"name": "input_ids", "datatype": "INT64", "shape": [1, 3], "data": [101, 7592, 102]}""";
        const string mask = """{"name": "attention_mask", "datatype": "INT64", "shape": [1, 3], "data": [1, 1, 1]}""";
        const string types = """{"name": "token_type_ids", "datatype": "INT64", "shape": [1, 3], "data": [0, 0, 0]}""";
        string Three(string first) => $$"""{"inputs": [{{first}}, {{mask}}, {{types}}]}""";
        string Ids(string shape, string data, string datatype = "INT64") => Three($$"""{"name": "input_ids", "datatype": "{{datatype}}", "shape": {{shape}}, "data": {{data}}}""");
        string Image(string shape, string data, string datatype = "FP32") => $$"""{"inputs": [{"name": "Input247", "datatype": "{{datatype}}", "shape": {{shape}}, "data": {{data}}}]}""";

        var bodies = new (string Name, string Body)[]
        {
            ("empty body", string.Empty),
            ("only whitespace", "   \n\t "),
            ("unclosed object", "{"),
            ("unclosed inputs array", """{"inputs": [}"""),
            ("array instead of object", "[]"),
            ("null document", "null"),
            ("string document", "\"inputs\""),
            ("number document", "42"),
            ("trailing garbage", Three(ids) + "xyz"),
            ("two documents", Three(ids) + Three(ids)),
            ("single-quoted strings", "{'inputs': []}"),
            ("unquoted keys", "{inputs: []}"),
            ("trailing comma", """{"inputs": [1,],}"""),
            ("NaN literal in data", Ids("[1, 3]", "[101, NaN, 102]")),
            ("Infinity literal in data", Ids("[1, 3]", "[101, Infinity, 102]")),
            ("nesting 5000 deep", new string('[', 5000) + new string(']', 5000)),
            ("inputs missing", """{"outputs": []}"""),
            ("inputs empty", """{"inputs": []}"""),
            ("inputs is an object", """{"inputs": {"name": "input_ids"}}"""),
            ("inputs is a string", """{"inputs": "input_ids"}"""),
            ("input is a number", """{"inputs": [7]}"""),
            ("input name missing", Three("""{"datatype": "INT64", "shape": [1, 3], "data": [1, 2, 3]}""")),
            ("input name is a number", Three("""{"name": 5, "datatype": "INT64", "shape": [1, 3], "data": [1, 2, 3]}""")),
            ("datatype missing", Three("""{"name": "input_ids", "shape": [1, 3], "data": [1, 2, 3]}""")),
            ("datatype unknown", Ids("[1, 3]", "[1, 2, 3]", "FLOAT99")),
            ("datatype wrong for the model", Ids("[1, 3]", "[1.5, 2.5, 3.5]", "FP32")),
            ("shape missing", Three("""{"name": "input_ids", "datatype": "INT64", "data": [1, 2, 3]}""")),
            ("shape is a string", Ids("\"1,3\"", "[1, 2, 3]")),
            ("shape has a fraction", Ids("[1, 2.5]", "[1, 2, 3]")),
            ("shape has a negative dim", Ids("[1, -3]", "[1, 2, 3]")),
            ("shape has -1", Ids("[-1, 3]", "[1, 2, 3]")),
            ("shape has a huge dim", Ids("[1, 9223372036854775807]", "[1, 2, 3]")),
            ("shape product overflows int64", Ids("[4294967296, 4294967296, 4294967296]", "[1, 2, 3]")),
            ("shape product overflows int32", Ids("[65536, 65536]", "[1, 2, 3]")),
            ("shape dim is 1e400", Ids("[1, 1e400]", "[1, 2, 3]")),
            ("shape dim is a string", Ids("[1, \"3\"]", "[1, 2, 3]")),
            ("data missing", Three("""{"name": "input_ids", "datatype": "INT64", "shape": [1, 3]}""")),
            ("data shorter than the shape", Ids("[1, 3]", "[101, 102]")),
            ("data longer than the shape", Ids("[1, 3]", "[101, 7592, 7592, 102]")),
            ("data strings for INT64", Ids("[1, 3]", "[\"a\", \"b\", \"c\"]")),
            ("data fractions for INT64", Ids("[1, 3]", "[1.5, 2.5, 3.5]")),
            ("data overflows INT64", Ids("[1, 3]", "[1, 99999999999999999999999, 3]")),
            ("data is an object", Ids("[1, 3]", "{\"a\": 1}")),
            ("data is null", Ids("[1, 3]", "null")),
            ("inputs of different lengths", $$"""{"inputs": [{{ids}}, {"name": "attention_mask", "datatype": "INT64", "shape": [1, 2], "data": [1, 1]}, {{types}}]}"""),
            ("inputs of different batch sizes", $$"""{"inputs": [{{ids}}, {"name": "attention_mask", "datatype": "INT64", "shape": [2, 3], "data": [1, 1, 1, 1, 1, 1]}, {{types}}]}"""),
            ("an input given twice", $$"""{"inputs": [{{ids}}, {{ids}}, {{mask}}, {{types}}]}"""),
            ("an input missing", $$"""{"inputs": [{{ids}}, {{mask}}]}"""),
            ("an unknown input", $$"""{"inputs": [{{ids}}, {{mask}}, {{types}}, {"name": "bogus", "datatype": "INT64", "shape": [1, 1], "data": [1]}]}"""),
            ("wrong rank", Ids("[3]", "[101, 7592, 102]")),
            ("batch beyond max_batch_size", Ids("[65, 1]", "[" + string.Join(",", Enumerable.Repeat(1, 65)) + "]")),
            ("batch of zero", Ids("[0, 3]", "[]")),
            ("unknown output requested", $$"""{"inputs": [{{ids}}, {{mask}}, {{types}}], "outputs": [{"name": "bogus"}]}"""),
            ("outputs is a string", $$"""{"inputs": [{{ids}}, {{mask}}, {{types}}], "outputs": "last_hidden_state"}"""),
            ("parameters is an array", $$"""{"inputs": [{{ids}}, {{mask}}, {{types}}], "parameters": []}"""),
            ("priority is a string", $$"""{"inputs": [{{ids}}, {{mask}}, {{types}}], "parameters": {"priority": "high"} }"""),
            ("timeout negative", $$"""{"inputs": [{{ids}}, {{mask}}, {{types}}], "parameters": {"timeout": -5} }"""),
            ("timeout is 1e400", $$"""{"inputs": [{{ids}}, {{mask}}, {{types}}], "parameters": {"timeout": 1e400} }"""),
            ("binary_data_size without binary data", Three("""{"name": "input_ids", "datatype": "INT64", "shape": [1, 3], "parameters": {"binary_data_size": 24}}""")),
            ("id is an object", $$"""{"id": {}, "inputs": [{{ids}}, {{mask}}, {{types}}]}"""),
        };
        foreach (var (name, body) in bodies)
        {
            yield return new(V2Infer, "minilm: " + name, () => Json("/v2/models/minilm/infer", body));
        }

        var images = new (string Name, string Body)[]
        {
            ("image data too short", Image("[1, 3, 224, 224]", "[0.5, 0.5]")),
            ("image dims swapped", Image("[1, 224, 224, 3]", "[0.5]")),
            ("image wrong datatype", Image("[1, 3, 224, 224]", "[1]", "INT8")),
            ("image BYTES datatype", Image("[1, 3, 224, 224]", "[\"x\"]", "BYTES")),
            ("image batch 9 > 8", Image("[9, 3, 224, 224]", "[0]")),
            ("image NaN as a string", Image("[1, 1]", "[\"NaN\"]")),
            ("image Infinity as a string", Image("[1, 1]", "[\"Infinity\"]")),
            ("image booleans", Image("[1, 3]", "[true, false, true]")),
        };
        foreach (var (name, body) in images)
        {
            yield return new(V2Infer, "resnet18: " + name, () => Json("/v2/models/resnet18/infer", body));
        }

        yield return new(V2Infer, "invalid UTF-8 in an input name", () => Bytes("/v2/models/minilm/infer", [.. "{\"inputs\": [{\"name\": \""u8, .. InvalidUtf8, .. "\", \"datatype\": \"INT64\", \"shape\": [1], \"data\": [1]}]}"u8], "application/json"));
        yield return new(V2Infer, "invalid UTF-8 as the whole body", () => Bytes("/v2/models/minilm/infer", InvalidUtf8, "application/json"));
        yield return new(V2Infer, "UTF-16 body", () => Bytes("/v2/models/minilm/infer", Encoding.Unicode.GetBytes(Three(ids)), "application/json"));
        yield return new(V2Infer, "oversized JSON body (3 MiB)", () => ExpectContinue(Bytes("/v2/models/minilm/infer", Oversized(), "application/json")));
        yield return new(V2Infer, "oversized raw binary body (3 MiB)", () => ExpectContinue(Raw("/v2/models/resnet18/infer", Oversized(), "0")));
        yield return new(V2Infer, "oversized with a lying Content-Length", () => ExpectContinue(Bytes("/v2/models/resnet18/infer", Oversized(), "application/octet-stream")));

        // Binary extension: a JSON header, then the tensors' bytes.
        var image = new byte[3 * 224 * 224 * 4];
        yield return new(V2Infer, "raw binary image truncated to 1000 bytes", () => Raw("/v2/models/resnet18/infer", image[..1000], "0"));
        yield return new(V2Infer, "raw binary image one byte short", () => Raw("/v2/models/resnet18/infer", image[..^1], "0"));
        yield return new(V2Infer, "raw binary image one byte long", () => Raw("/v2/models/resnet18/infer", [.. image, 0], "0"));
        yield return new(V2Infer, "raw binary empty body", () => Raw("/v2/models/resnet18/infer", [], "0"));
        yield return new(V2Infer, "raw binary to a model with three inputs", () => Raw("/v2/models/minilm/infer", new byte[24], "0"));
        var header = """{"inputs": [{"name": "Input247", "datatype": "FP32", "shape": [1, 3, 224, 224], "parameters": {"binary_data_size": 602112}}]}"""u8.ToArray();
        yield return new(V2Infer, "binary payload truncated (header says 602112, 100 sent)", () => Raw("/v2/models/resnet18/infer", [.. header, .. new byte[100]], header.Length.ToString()));
        yield return new(V2Infer, "binary payload with extra bytes", () => Raw("/v2/models/resnet18/infer", [.. header, .. image, 1, 2, 3], header.Length.ToString()));
        var wrongSize = """{"inputs": [{"name": "Input247", "datatype": "FP32", "shape": [1, 3, 224, 224], "parameters": {"binary_data_size": 12}}]}"""u8.ToArray();
        yield return new(V2Infer, "binary_data_size disagrees with the shape", () => Raw("/v2/models/resnet18/infer", [.. wrongSize, .. new byte[12]], wrongSize.Length.ToString()));
        var negative = """{"inputs": [{"name": "Input247", "datatype": "FP32", "shape": [1, 3, 224, 224], "parameters": {"binary_data_size": -1}}]}"""u8.ToArray();
        yield return new(V2Infer, "negative binary_data_size", () => Raw("/v2/models/resnet18/infer", [.. negative, .. new byte[12]], negative.Length.ToString()));
        yield return new(V2Infer, "Inference-Header-Content-Length not a number", () => Raw("/v2/models/resnet18/infer", [.. header, .. image], "abc"));
        yield return new(V2Infer, "Inference-Header-Content-Length negative", () => Raw("/v2/models/resnet18/infer", [.. header, .. image], "-1"));
        yield return new(V2Infer, "Inference-Header-Content-Length beyond the body", () => Raw("/v2/models/resnet18/infer", [.. header, .. new byte[8]], "999999"));
        yield return new(V2Infer, "Inference-Header-Content-Length overflows", () => Raw("/v2/models/resnet18/infer", [.. header, .. new byte[8]], "99999999999999999999"));
        yield return new(V2Infer, "Inference-Header-Content-Length cuts the JSON", () => Raw("/v2/models/resnet18/infer", [.. header, .. image], "20"));
        yield return new(V2Infer, "Inference-Header-Content-Length too long by 5", () => Raw("/v2/models/resnet18/infer", [.. header, .. image], (header.Length + 5).ToString()));
        yield return new(V2Infer, "Inference-Header-Content-Length given twice", () =>
        {
            var message = Raw("/v2/models/resnet18/infer", [.. header, .. image], header.Length.ToString());
            message.Headers.TryAddWithoutValidation("Inference-Header-Content-Length", "7");
            return message;
        });
        var bytesHeader = """{"inputs": [{"name": "input_ids", "datatype": "BYTES", "shape": [1], "parameters": {"binary_data_size": 8}}]}"""u8.ToArray();
        yield return new(V2Infer, "BYTES element length prefix beyond the payload", () => Raw("/v2/models/minilm/infer", [.. bytesHeader, 0xFF, 0xFF, 0xFF, 0x7F, 1, 2, 3, 4], bytesHeader.Length.ToString()));
    }

    private static IEnumerable<HostileCase> PathCases()
    {
        // No "%2e%2e": System.Uri decodes it and removes the dot segment before sending, so it never reaches the server.
        string[] names = ["nope", "..%2F..%2Fetc%2Fpasswd", "..%5C..%5Cwindows", "%2Ftmp%2Fx", "minilm%2F..%2Fresnet18", new string('a', 5000), "m%C3%28", "...", "~root"];
        foreach (var name in names)
        {
            var shown = name.Length > 40 ? name[..20] + $"…({name.Length})" : name;
            yield return new(V2Infer, $"infer on model '{shown}'", () => Json($"/v2/models/{name}/infer", "{\"inputs\": []}"));
            yield return new(V2Model, $"metadata of model '{shown}'", () => Get($"/v2/models/{name}"));
            yield return new(V2Model, $"readiness of model '{shown}'", () => Get($"/v2/models/{name}/ready"));
            yield return new(V2Stats, $"stats of model '{shown}'", () => Get($"/v2/models/{name}/stats"));
        }

        string[] versions = ["0", "-1", "2", "abc", "1.5", "99999999999999999999", "..%2F1", "1e3", "%201", "%2F1", "0x1", "+1"];
        foreach (var version in versions)
        {
            yield return new(V2Infer, $"infer on minilm version '{version}'", () => Json($"/v2/models/minilm/versions/{version}/infer", "{\"inputs\": []}"));
            yield return new(V2Model, $"metadata of resnet18 version '{version}'", () => Get($"/v2/models/resnet18/versions/{version}"));
            yield return new(V2Model, $"readiness of resnet18 version '{version}'", () => Get($"/v2/models/resnet18/versions/{version}/ready"));
            yield return new(V2Stats, $"stats of minilm version '{version}'", () => Get($"/v2/models/minilm/versions/{version}/stats"));
        }

        yield return new(V2Infer, "NUL in the model name", () => Json("/v2/models/minilm%00/infer", "{\"inputs\": []}"), ProtocolLevel: true);
        yield return new(V2Model, "NUL in the version", () => Get("/v2/models/minilm/versions/1%00"), ProtocolLevel: true);
        yield return new(V2Stats, "NUL in the model name of stats", () => Get("/v2/models/minilm%00/stats"), ProtocolLevel: true);
    }

    private static IEnumerable<HostileCase> RepositoryCases()
    {
        yield return new(Repository, "index without the API key", () => Post("/v2/repository/index", null));
        yield return new(Repository, "index with a wrong API key", () => Post("/v2/repository/index", "wrong"));
        yield return new(Repository, "load without the API key", () => Post("/v2/repository/models/minilm/load", null));
        yield return new(Repository, "unload with an empty API key", () => Post("/v2/repository/models/minilm/unload", string.Empty));
        foreach (var name in new[] { "..%2F..%2Fetc", "..%2Fminilm", "nope", "%2Ftmp", "..%5Cminilm", "~" })
        {
            yield return new(Repository, $"load '{name}'", () => Post($"/v2/repository/models/{name}/load", HostileService.ApiKey));
            yield return new(Repository, $"unload '{name}'", () => Post($"/v2/repository/models/{name}/unload", HostileService.ApiKey));
        }

        static HttpRequestMessage Post(string path, string? key)
        {
            var message = new HttpRequestMessage(HttpMethod.Post, path);
            if (key is not null)
            {
                message.Headers.TryAddWithoutValidation("X-API-Key", key);
            }

            return message;
        }
    }

    private static IEnumerable<HostileCase> VisionCases()
    {
        var png = TestImages.Solid(128, 32, 32);
        var jpeg = Jpeg();
        var images = new (string Name, byte[] Bytes, string Type)[]
        {
            ("text as image/jpeg", "this is not an image"u8.ToArray(), "image/jpeg"),
            ("JSON as image/png", "{\"inputs\": []}"u8.ToArray(), "image/png"),
            ("empty image/png", [], "image/png"),
            ("random bytes as image/webp", RandomBytes(4096), "image/webp"),
            ("PNG signature only", png[..8], "image/png"),
            ("PNG truncated in half", png[..(png.Length / 2)], "image/png"),
            ("JPEG truncated to 10 bytes", jpeg[..10], "image/jpeg"),
            ("JPEG truncated in half", jpeg[..(jpeg.Length / 2)], "image/jpeg"),
            ("JPEG SOI and EOI only", [0xFF, 0xD8, 0xFF, 0xD9], "image/jpeg"),
            ("PNG declaring 30000x30000", TestImages.PngHeader(30000, 30000), "image/png"),
            ("PNG declaring 2^31-1 x 1", TestImages.PngHeader(int.MaxValue, 1), "image/png"),
            ("JPEG declaring 30000x30000", JpegDeclaring(jpeg, 30000, 30000), "image/jpeg"),
            ("PNG sent as image/jpeg", Truncate(png, 40), "image/jpeg"),
            ("oversized image (3 MiB)", Oversized(), "image/png"),
        };
        foreach (var (name, bytes, type) in images)
        {
            var big = bytes.Length > HostileService.MaxBodyBytes;
            HttpRequestMessage Send(HttpRequestMessage m) => big ? ExpectContinue(m) : m;
            yield return new(VisionEmbeddings, "raw " + name, () => Send(Bytes("/v1/vision/embeddings", bytes, type)));
            yield return new(VisionEmbeddings, "multipart " + name, () => Send(Multipart("/v1/vision/embeddings", (bytes, type))));
            yield return new(VisionSimilarity, name + " beside a good image", () => Send(Multipart("/v1/vision/similarity", (bytes, type), (png, "image/png"))));
            yield return new(VisionClassify, "digits: " + name, () => Send(Multipart("/v1/vision/classify/digits", (bytes, type))));
        }

        yield return new(VisionEmbeddings, "text/plain body", () => Bytes("/v1/vision/embeddings", png, "text/plain"));
        yield return new(VisionEmbeddings, "no Content-Type", () => new HttpRequestMessage(HttpMethod.Post, "/v1/vision/embeddings") { Content = new ByteArrayContent(png) });
        yield return new(VisionEmbeddings, "multipart without a boundary", () => Bytes("/v1/vision/embeddings", png, "multipart/form-data"));
        yield return new(VisionEmbeddings, "multipart with a broken body", () => Bytes("/v1/vision/embeddings", "--xyz\r\nContent-Disposition: form-data; name=\"image\"\r\n\r\nabc"u8.ToArray(), "multipart/form-data; boundary=xyz"));
        yield return new(VisionEmbeddings, "multipart with no file parts", () => Multipart("/v1/vision/embeddings"));
        yield return new(VisionEmbeddings, "9 images (limit 8)", () => Multipart("/v1/vision/embeddings", [.. Enumerable.Repeat((png, "image/png"), 9)]));
        yield return new(VisionSimilarity, "one image", () => Multipart("/v1/vision/similarity", (png, "image/png")));
        yield return new(VisionSimilarity, "three images", () => Multipart("/v1/vision/similarity", (png, "image/png"), (png, "image/png"), (png, "image/png")));
        yield return new(VisionSimilarity, "a raw image", () => Bytes("/v1/vision/similarity", png, "image/png"));
        yield return new(VisionClassify, "unknown model", () => Multipart("/v1/vision/classify/nope", (png, "image/png")));
        yield return new(VisionClassify, "a text classifier", () => Multipart("/v1/vision/classify/spamhead", (png, "image/png")));
        yield return new(VisionClassify, "path traversal in the model", () => Multipart("/v1/vision/classify/..%2Fdigits", (png, "image/png")));
        yield return new(VisionClassify, "two images", () => Multipart("/v1/vision/classify/digits", (png, "image/png"), (png, "image/png")));
        foreach (var k in new[] { "0", "-1", "abc", "NaN", "Infinity", "1e400", "99999" })
        {
            yield return new(VisionClassify, $"k={k}", () => Multipart($"/v1/vision/classify/digits?k={k}", (png, "image/png")));
        }
    }

    private static IEnumerable<HostileCase> TextCases()
    {
        var bodies = new (string Name, string Body)[]
        {
            ("empty body", string.Empty),
            ("malformed JSON", "{\"texts\": ["),
            ("texts missing", "{}"),
            ("texts null", "{\"texts\": null}"),
            ("texts a string", "{\"texts\": \"hello\"}"),
            ("texts empty", "{\"texts\": []}"),
            ("texts numbers", "{\"texts\": [1, 2]}"),
            ("texts with null", "{\"texts\": [null]}"),
            ("texts nested arrays", "{\"texts\": [[\"a\"]]}"),
            ("33 texts (limit 32)", "{\"texts\": [" + string.Join(",", Enumerable.Repeat("\"a\"", 33)) + "]}"),
            ("a text of 10001 characters", "{\"texts\": [\"" + new string('a', 10_001) + "\"]}"),
            ("a lone surrogate escape", "{\"texts\": [\"\\uD800\"]}"),
            ("array document", "[\"hello\"]"),
        };
        foreach (var (name, body) in bodies)
        {
            yield return new(TextEmbeddings, name, () => Json("/v1/text/embeddings", body));
        }

        yield return new(TextEmbeddings, "invalid UTF-8 in a text", () => Bytes("/v1/text/embeddings", [.. "{\"texts\": [\""u8, .. InvalidUtf8, .. "\"]}"u8], "application/json"));
        yield return new(TextEmbeddings, "oversized body (3 MiB)", () => ExpectContinue(Bytes("/v1/text/embeddings", Oversized(), "application/json")));
        yield return new(TextEmbeddings, "text/plain body", () => new HttpRequestMessage(HttpMethod.Post, "/v1/text/embeddings") { Content = new StringContent("hello", Encoding.UTF8, "text/plain") });

        var similarity = new (string Name, string Body)[]
        {
            ("empty body", string.Empty),
            ("query missing", "{\"candidates\": [\"a\"]}"),
            ("candidates missing", "{\"query\": \"a\"}"),
            ("candidates empty", "{\"query\": \"a\", \"candidates\": []}"),
            ("query a number", "{\"query\": 5, \"candidates\": [\"a\"]}"),
            ("candidates a string", "{\"query\": \"a\", \"candidates\": \"b\"}"),
            ("candidates with null", "{\"query\": \"a\", \"candidates\": [null]}"),
            ("33 candidates", "{\"query\": \"a\", \"candidates\": [" + string.Join(",", Enumerable.Repeat("\"a\"", 33)) + "]}"),
            ("malformed JSON", "{\"query\": "),
        };
        foreach (var (name, body) in similarity)
        {
            yield return new(TextSimilarity, name, () => Json("/v1/text/similarity", body));
        }

        yield return new(TextSimilarity, "invalid UTF-8 in the query", () => Bytes("/v1/text/similarity", [.. "{\"query\": \""u8, .. InvalidUtf8, .. "\", \"candidates\": [\"a\"]}"u8], "application/json"));

        var classify = new (string Name, string Body)[]
        {
            ("empty body", string.Empty),
            ("text missing", "{}"),
            ("text null", "{\"text\": null}"),
            ("text a number", "{\"text\": 5}"),
            ("text an array", "{\"text\": [\"a\"]}"),
            ("malformed JSON", "{\"text\""),
        };
        foreach (var (name, body) in classify)
        {
            yield return new(TextClassify, name, () => Json("/v1/text/classify/spamhead", body));
        }

        yield return new(TextClassify, "invalid UTF-8 in the text", () => Bytes("/v1/text/classify/spamhead", [.. "{\"text\": \""u8, .. InvalidUtf8, .. "\"}"u8], "application/json"));
        yield return new(TextClassify, "unknown model", () => Json("/v1/text/classify/nope", "{\"text\": \"hello\"}"));
        yield return new(TextClassify, "an image classifier", () => Json("/v1/text/classify/digits", "{\"text\": \"hello\"}"));
        yield return new(TextClassify, "the embedding model itself", () => Json("/v1/text/classify/minilm", "{\"text\": \"hello\"}"));
        yield return new(TextClassify, "path traversal in the model", () => Json("/v1/text/classify/..%2Fspamhead", "{\"text\": \"hello\"}"));
    }

    private static IEnumerable<HostileCase> RecommendationCases()
    {
        foreach (var user in new[] { "-1", "abc", "1.5", "NaN", "Infinity", "99999999999999999999", "..%2F0", "1e400", "3", "999" })
        {
            yield return new(UserRecommendations, $"user '{user}'", () => Get($"/v1/recommendations/shop/users/{user}"));
        }

        foreach (var query in new[] { "k=0", "k=-3", "k=abc", "k=NaN", "k=Infinity", "k=1e400", "k=101", "exclude=abc", "exclude=-1", "exclude=99", "fallback=bogus", "exclude=NaN" })
        {
            yield return new(UserRecommendations, query, () => Get($"/v1/recommendations/shop/users/0?{query}"));
        }

        foreach (var model in new[] { "nope", "minilm", "digits", "..%2Fshop", "..%5Cshop" })
        {
            yield return new(UserRecommendations, $"model '{model}'", () => Get($"/v1/recommendations/{model}/users/0"));
            yield return new(SimilarItems, $"model '{model}'", () => Get($"/v1/recommendations/{model}/items/0/similar"));
        }

        foreach (var item in new[] { "-1", "5", "abc", "NaN", "99999999999999999999", "1.5" })
        {
            yield return new(SimilarItems, $"item '{item}'", () => Get($"/v1/recommendations/shop/items/{item}/similar"));
        }

        foreach (var query in new[] { "k=0", "k=abc", "k=NaN", "k=1e400" })
        {
            yield return new(SimilarItems, query, () => Get($"/v1/recommendations/shop/items/0/similar?{query}"));
        }
    }

    private static HttpRequestMessage Get(string path) => new(HttpMethod.Get, path);

    private static HttpRequestMessage Json(string path, string body) => new(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private static HttpRequestMessage Bytes(string path, byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
    }

    private static HttpRequestMessage Raw(string path, byte[] body, string headerLength)
    {
        var message = Bytes(path, body, "application/octet-stream");
        message.Headers.TryAddWithoutValidation("Inference-Header-Content-Length", headerLength);
        return message;
    }

    private static HttpRequestMessage Multipart(string path, params (byte[] Bytes, string Type)[] files)
    {
        var form = new MultipartFormDataContent();
        var index = 0;
        foreach (var (bytes, type) in files)
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue(type);
            form.Add(part, "image", $"image{index++}.bin");
        }

        if (files.Length == 0)
        {
            form.Add(new StringContent("not a file"), "note");
        }

        return new HttpRequestMessage(HttpMethod.Post, path) { Content = form };
    }

    private static byte[] Oversized() => new byte[3 * 1024 * 1024];

    /// <summary>
    /// With Expect: 100-continue the server can refuse (413) before the body is sent; without it, it answers 413 and
    /// closes the connection while the client is still writing, and the client sees a broken pipe, not the answer.
    /// </summary>
    private static HttpRequestMessage ExpectContinue(HttpRequestMessage message)
    {
        message.Headers.ExpectContinue = true;
        return message;
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(7).NextBytes(bytes);
        return bytes;
    }

    private static byte[] Truncate(byte[] bytes, int count) => bytes[..Math.Min(count, bytes.Length)];

    private static byte[] Jpeg()
    {
        using var bitmap = TestImages.Draw(TestImages.Scene.DiscAndBar, 64, 48);
        return TestImages.Encode(bitmap, SKEncodedImageFormat.Jpeg);
    }

    /// <summary>The same JPEG with its frame header (SOF0) saying <paramref name="width"/> x <paramref name="height"/>.</summary>
    private static byte[] JpegDeclaring(byte[] jpeg, ushort width, ushort height)
    {
        var copy = jpeg.ToArray();
        for (var i = 0; i + 9 < copy.Length; i++)
        {
            if (copy[i] == 0xFF && copy[i + 1] is 0xC0 or 0xC2)
            {
                BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(i + 5), height);
                BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(i + 7), width);
                return copy;
            }
        }

        throw new InvalidOperationException("no SOF0/SOF2 marker in the test JPEG");
    }
}
